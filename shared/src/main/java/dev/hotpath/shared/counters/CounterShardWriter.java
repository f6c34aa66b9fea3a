package dev.hotpath.shared.counters;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import com.google.cloud.datastore.ListValue;
import com.google.cloud.datastore.LongValue;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.Transaction;
import com.google.cloud.datastore.Value;
import dev.hotpath.shared.datastore.DatastoreFailures;
import dev.hotpath.shared.datastore.InternalKinds;
import dev.hotpath.shared.datastore.Transactions;
import dev.hotpath.shared.groupcommit.BatchWriter;
import dev.hotpath.shared.groupcommit.Flush;
import dev.hotpath.shared.groupcommit.WriteFailure;
import dev.hotpath.shared.sharding.ShardKeys;
import dev.hotpath.shared.validation.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Adds a batch of increments to one shard of one counter, exactly once per flush id: in one
 * transaction it reads the shard, and unless the shard already lists the flush id among its recent
 * flushes, writes the new value together with the id. A retry after an unknown outcome therefore
 * finds its own earlier write instead of adding twice — at the cost of one entity write per flush
 * and no marker entities to clean up (the list keeps the last {@value #RECENT_FLUSHES}).
 */
public final class CounterShardWriter implements BatchWriter<Long, Integer> {
  /** Far more flushes than one shard can take (≈1/s) while a retry budget runs. */
  static final int RECENT_FLUSHES = 32;

  static final String VALUE = "value";
  static final String FLUSHES = "flushes";
  private static final String COUNTER = "counter";
  private static final String SHARD = "shard";

  private final Datastore datastore;
  private final String counter;
  private final KeyFactory keys;

  CounterShardWriter(Datastore datastore, String counter) {
    this.datastore = datastore;
    this.counter = counter;
    this.keys = datastore.newKeyFactory().setKind(InternalKinds.COUNTER_SHARD);
  }

  static Key shardKey(KeyFactory keys, String counter, int shard) {
    return keys.newKey(ShardKeys.name(counter, shard));
  }

  /** The key of shard {@code shard} of {@code counter}, for writers that add to it in their own transaction. */
  public static Key shardKey(Datastore datastore, String counter, int shard) {
    return shardKey(datastore.newKeyFactory().setKind(InternalKinds.COUNTER_SHARD), counter, shard);
  }

  /**
   * Shard {@code current} (null: never written) with {@code delta} added and its recent flush ids
   * kept, for a caller that writes it in its own transaction and guarantees exactly-once itself
   * (the deferred operations do, through their operation record in the same commit).
   *
   * @throws ArithmeticException if the value would leave the 64-bit range
   */
  public static Entity plus(Key key, String counter, int shard, Entity current, long delta) {
    long value = Math.addExact(current == null ? 0 : current.getLong(VALUE), delta);
    return shardEntity(key, counter, shard, value, recentFlushes(current));
  }

  @Override
  public List<Integer> write(Flush<Long> flush) throws WriteFailure {
    long sum = 0;
    for (long delta : flush.items()) {
      sum += delta; // deltas are bounded, so a batch's sum cannot overflow
    }
    Key key = shardKey(keys, counter, flush.shard());
    Transaction txn = datastore.newTransaction();
    try {
      Entity shard = txn.get(key);
      List<String> recent = recentFlushes(shard);
      if (!recent.contains(flush.id())) {
        long value = shard == null ? 0 : shard.getLong(VALUE);
        txn.put(updated(key, flush.shard(), add(value, sum), recent, flush.id()));
        txn.commit();
      }
      return Collections.nCopies(flush.items().size(), flush.shard());
    } catch (DatastoreException e) {
      throw DatastoreFailures.classify(e);
    } finally {
      Transactions.rollbackIfActive(txn);
    }
  }

  private long add(long value, long sum) throws WriteFailure {
    try {
      return Math.addExact(value, sum);
    } catch (ArithmeticException e) {
      throw new WriteFailure(
          WriteFailure.Kind.PERMANENT,
          "overflow",
          new InvalidInputException("counter '" + counter + "' would leave the 64-bit range"));
    }
  }

  private static List<String> recentFlushes(Entity shard) {
    if (shard == null || !shard.contains(FLUSHES)) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    for (Value<?> v : shard.getList(FLUSHES)) {
      ids.add((String) v.get());
    }
    return ids;
  }

  private Entity updated(Key key, int index, long value, List<String> recent, String flushId) {
    List<String> kept = new ArrayList<>(recent.subList(Math.max(0, recent.size() - (RECENT_FLUSHES - 1)), recent.size()));
    kept.add(flushId);
    return shardEntity(key, counter, index, value, kept);
  }

  private static Entity shardEntity(Key key, String counter, int index, long value, List<String> recent) {
    ListValue.Builder flushes = ListValue.newBuilder();
    recent.forEach(id -> flushes.addValue(StringValue.newBuilder(id).setExcludeFromIndexes(true).build()));
    return Entity.newBuilder(key)
        .set(COUNTER, StringValue.newBuilder(counter).setExcludeFromIndexes(true).build())
        .set(SHARD, LongValue.newBuilder(index).setExcludeFromIndexes(true).build())
        .set(VALUE, LongValue.newBuilder(value).setExcludeFromIndexes(true).build())
        .set(FLUSHES, flushes.build())
        .build();
  }
}
