package dev.hotpath.shared.datastore;

import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Transaction;

/** Small helpers around Datastore transactions. */
public final class Transactions {

  /** Rolls back {@code txn} if still active; a failed rollback is harmless (it expires). */
  public static void rollbackIfActive(Transaction txn) {
    if (!txn.isActive()) {
      return;
    }
    try {
      txn.rollback();
    } catch (DatastoreException ignored) {
      // Nothing was committed; Datastore drops the transaction on its own.
    }
  }

  private Transactions() {}
}
