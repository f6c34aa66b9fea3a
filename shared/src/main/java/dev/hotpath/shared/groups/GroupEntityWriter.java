package dev.hotpath.shared.groups;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Transaction;
import dev.hotpath.shared.datastore.DatastoreFailures;
import dev.hotpath.shared.datastore.Transactions;
import dev.hotpath.shared.datastore.WriteFailure;
import dev.hotpath.shared.groupcommit.BatchWriter;
import dev.hotpath.shared.groupcommit.Flush;
import dev.hotpath.shared.metrics.Event;
import dev.hotpath.shared.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Inserts a batch of new entities under one shard parent of one group, in one transaction. Ids are
 * derived from the flush id (random) and the position in the batch, so they scatter and a retry of
 * the same flush writes the same keys. Insert, never upsert: an id already taken fails the commit
 * instead of overwriting someone's entity. After an unknown outcome the writer first looks the keys
 * up — if they are there, the earlier attempt landed.
 */
final class GroupEntityWriter implements BatchWriter<NewEntity, StoredEntity> {
  static final String CREATED = "hotpath:created";

  /** The shard parent's name, indexed: a listing reads up to 30 shards per query with IN. */
  static final String SHARD = "hotpath:shard";

  private final Datastore datastore;
  private final GroupKeys keys;
  private final String group;

  GroupEntityWriter(Datastore datastore, GroupKeys keys, String group) {
    this.datastore = datastore;
    this.keys = keys;
    this.group = group;
  }

  @Override
  public List<StoredEntity> write(Flush<NewEntity> flush) throws WriteFailure {
    Key parent = keys.shardParent(group, flush.shard());
    List<Entity> entities = new ArrayList<>();
    List<StoredEntity> results = new ArrayList<>();
    for (int i = 0; i < flush.items().size(); i++) {
      NewEntity item = flush.items().get(i);
      Entity built = stored(parent, item, idFor(flush.id(), i));
      entities.add(built);
      results.add(new StoredEntity(built.getKey(), item.created(), built));
    }
    try {
      if (flush.afterUnknownOutcome() && alreadyStored(entities)) {
        return results;
      }
      Transaction txn = datastore.newTransaction();
      try {
        txn.add(entities.toArray(new Entity[0]));
        Metrics.global().count(Event.DATASTORE_CALLS, 2); // begin and commit
        txn.commit();
      } finally {
        Transactions.rollbackIfActive(txn);
      }
      return results;
    } catch (DatastoreException e) {
      throw DatastoreFailures.classify(e);
    }
  }

  /**
   * The group's first entity, committed together with the group's shard-count record {@code
   * groupRecord} (unless another writer created that record first): a refused first append leaves
   * no record behind. Repeating it after an unknown outcome finds the entity and writes nothing.
   */
  StoredEntity writeFirst(NewEntity item, String flushId, int shard, Entity groupRecord) {
    Entity entity = stored(keys.shardParent(group, shard), item, idFor(flushId, 0));
    Key key = entity.getKey();
    Transaction txn = datastore.newTransaction();
    try {
      List<Entity> found = txn.fetch(groupRecord.getKey(), key);
      if (found.get(1) == null) {
        if (found.get(0) == null) {
          txn.add(groupRecord);
        }
        txn.add(entity);
        txn.commit();
      }
      return new StoredEntity(key, item.created(), entity);
    } finally {
      Transactions.rollbackIfActive(txn);
    }
  }

  /** {@code item} as stored under {@code parent}: its properties, creation time and shard name. */
  private static Entity stored(Key parent, NewEntity item, long id) {
    Entity.Builder entity = Entity.newBuilder(Key.newBuilder(parent, item.kind(), id).build());
    item.properties().forEach(entity::set);
    entity.set(CREATED, item.created());
    entity.set(SHARD, parent.getName());
    return entity.build();
  }

  /**
   * The batch committed atomically, so finding all of its keys means the earlier attempt landed.
   */
  private boolean alreadyStored(List<Entity> entities) {
    List<Key> keyList = entities.stream().map(Entity::getKey).toList();
    Metrics.global().count(Event.DATASTORE_CALLS);
    return datastore.fetch(keyList).stream().allMatch(e -> e != null);
  }

  /**
   * A positive 63-bit id, unpredictable and scattered, the same for the same flush and position.
   */
  static long idFor(String flushId, int index) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((flushId + "/" + index).getBytes(StandardCharsets.UTF_8));
      long id = 0;
      for (int i = 0; i < 8; i++) {
        id = (id << 8) | (hash[i] & 0xff);
      }
      id &= Long.MAX_VALUE;
      return id == 0 ? 1 : id;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
