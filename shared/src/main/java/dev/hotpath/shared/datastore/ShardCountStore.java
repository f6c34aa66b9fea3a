package dev.hotpath.shared.datastore;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreReader;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import com.google.cloud.datastore.Transaction;
import java.util.OptionalInt;

/**
 * The stored shard count of each counter or group (one entity per owner, of one internal kind).
 * Counts start at the default when first written and only ever grow, so a read that covers {@code
 * [0, count)} covers every shard that was ever written.
 */
public final class ShardCountStore {
  private static final String SHARDS = "shards";

  private final Datastore datastore;
  private final KeyFactory keys;
  private final Idempotent idempotent;

  public ShardCountStore(Datastore datastore, String kind, Idempotent idempotent) {
    this.datastore = datastore;
    this.keys = datastore.newKeyFactory().setKind(kind);
    this.idempotent = idempotent;
  }

  /** The key of {@code owner}'s count entity. */
  public Key key(String owner) {
    return keys.newKey(owner);
  }

  /**
   * {@code owner}'s count entity holding {@code count}, for a caller that creates it inside its own
   * transaction (so the count is written only together with the owner's first data).
   */
  public Entity entity(String owner, int count) {
    return Entity.newBuilder(key(owner)).set(SHARDS, count).build();
  }

  /**
   * The stored count as {@code reader} (a read-only transaction, for a read that must be one
   * snapshot with what follows) sees it, or empty if the owner was never written.
   */
  public OptionalInt load(DatastoreReader reader, String owner) {
    Entity entity = reader.get(keys.newKey(owner));
    return entity == null ? OptionalInt.empty() : OptionalInt.of((int) entity.getLong(SHARDS));
  }

  /**
   * Stores {@code max(stored, atLeast)}, creating the entity if needed, and returns it. Raising is
   * a max, so retrying it after an unknown outcome is safe.
   */
  public int raise(String owner, int atLeast) {
    return idempotent.run(
        "raising the shard count of '" + owner + "'", () -> raiseOnce(keys.newKey(owner), atLeast));
  }

  private int raiseOnce(Key key, int atLeast) {
    Transaction txn = datastore.newTransaction();
    try {
      Entity current = txn.get(key);
      int stored = current == null ? 0 : (int) current.getLong(SHARDS);
      if (stored >= atLeast) {
        return stored;
      }
      txn.put(Entity.newBuilder(key).set(SHARDS, atLeast).build());
      txn.commit();
      return atLeast;
    } finally {
      Transactions.rollbackIfActive(txn);
    }
  }
}
