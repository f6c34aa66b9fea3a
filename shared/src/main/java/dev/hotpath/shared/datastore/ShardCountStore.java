package dev.hotpath.shared.datastore;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import com.google.cloud.datastore.Transaction;
import dev.hotpath.shared.retry.RetryPolicy;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The stored shard count of each counter or group (one entity per owner, of one internal kind).
 * Counts start at the default when first written and only ever grow, so a read that covers
 * {@code [0, count)} covers every shard that was ever written.
 */
public final class ShardCountStore {
  private static final String SHARDS = "shards";

  private final Datastore datastore;
  private final KeyFactory keys;
  private final RetryPolicy retry;

  public ShardCountStore(Datastore datastore, String kind, RetryPolicy retry) {
    this.datastore = datastore;
    this.keys = datastore.newKeyFactory().setKind(kind);
    this.retry = retry;
  }

  /** The stored count, or empty if the owner was never written (strongly consistent lookup). */
  public OptionalInt load(String owner) {
    Entity entity = datastore.get(keys.newKey(owner));
    return entity == null ? OptionalInt.empty() : OptionalInt.of((int) entity.getLong(SHARDS));
  }

  /** Stores {@code max(stored, atLeast)} (creating the entity if needed) and returns it. */
  public int raise(String owner, int atLeast) {
    Key key = keys.newKey(owner);
    long deadline = System.nanoTime() + retry.budget().toNanos();
    for (int attempt = 1; ; attempt++) {
      Transaction txn = datastore.newTransaction();
      try {
        Entity current = txn.get(key);
        int stored = current == null ? 0 : (int) current.getLong(SHARDS);
        if (stored >= atLeast) {
          txn.rollback();
          return stored;
        }
        txn.put(Entity.newBuilder(key).set(SHARDS, atLeast).build());
        txn.commit();
        return atLeast;
      } catch (DatastoreException e) {
        // Raising is idempotent (max), so any failure may be retried, whatever its outcome.
        Duration pause = retry.backoff(attempt, ThreadLocalRandom.current());
        if (System.nanoTime() + pause.toNanos() > deadline) {
          throw e;
        }
        sleep(pause);
      } finally {
        if (txn.isActive()) {
          rollbackQuietly(txn);
        }
      }
    }
  }

  private static void rollbackQuietly(Transaction txn) {
    try {
      txn.rollback();
    } catch (DatastoreException ignored) {
      // The transaction expires on its own; nothing was committed.
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis(), (int) (pause.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while raising a shard count", e);
    }
  }
}
