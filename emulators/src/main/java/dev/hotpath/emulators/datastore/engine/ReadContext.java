package dev.hotpath.emulators.datastore.engine;

import com.google.datastore.v1.ReadOptions;
import com.google.protobuf.ByteString;
import dev.hotpath.emulators.datastore.store.EntityStore;
import dev.hotpath.emulators.datastore.store.Micros;
import dev.hotpath.emulators.datastore.store.StoreKey;

/**
 * The point in time one read call sees, resolved from its {@link ReadOptions}: an open
 * transaction's snapshot, a new transaction's, a read_time, or the newest data. Close it when the
 * read is done.
 */
final class ReadContext implements AutoCloseable {
  /** Snapshot value meaning "the newest data, read without pinning". */
  static final long LATEST = -1;

  private final EntityStore store;
  private final Transaction transaction;
  private final boolean began;
  private final long snapshot;
  private final boolean pinned;

  private ReadContext(
      EntityStore store, Transaction transaction, boolean began, long snapshot, boolean pinned) {
    this.store = store;
    this.transaction = transaction;
    this.began = began;
    this.snapshot = snapshot;
    this.pinned = pinned;
  }

  /**
   * @param pinLatest whether a read of the newest data needs a pinned snapshot (queries iterate
   *     lazily, so they do); lookups read newest data unpinned via {@link EntityStore#readLatest}
   */
  static ReadContext open(
      EntityStore store,
      OpenTransactions transactions,
      String project,
      String database,
      ReadOptions options,
      boolean pinLatest) {
    switch (options.getConsistencyTypeCase()) {
      case TRANSACTION -> {
        Transaction t = transactions.use(options.getTransaction(), project, database);
        return new ReadContext(store, t, false, t.snapshot, false);
      }
      case NEW_TRANSACTION -> {
        Transaction t = transactions.begin(project, database, options.getNewTransaction());
        return new ReadContext(store, t, true, t.snapshot, false);
      }
      case READ_TIME -> {
        long pinnedAt = store.pinAt(Micros.of(options.getReadTime()));
        if (pinnedAt < 0) {
          throw OpenTransactions.tooOld();
        }
        return new ReadContext(store, null, false, pinnedAt, true);
      }
      default -> {
        if (pinLatest) {
          return new ReadContext(store, null, false, store.pinLatest(), true);
        }
        return new ReadContext(store, null, false, LATEST, false);
      }
    }
  }

  long snapshot() {
    return snapshot;
  }

  /** A read-write transaction remembers what it read, for its commit's conflict check. */
  void read(StoreKey key) {
    if (transaction != null) {
      transaction.read(key);
    }
  }

  /** The id of the transaction this read began (new_transaction), else empty. */
  ByteString newTransaction() {
    return began ? transaction.id : ByteString.EMPTY;
  }

  @Override
  public void close() {
    if (pinned) {
      store.unpin(snapshot);
    }
  }
}
