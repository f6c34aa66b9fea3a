package dev.hotpath.shared.datastore;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Transaction;
import com.google.datastore.v1.TransactionOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads that take several requests (lookups of more than 1,000 keys, a query per shard) but must
 * return a state that existed: all of them inside one read-only transaction, so every request reads
 * the same snapshot. The requests may run in parallel; a failure retries the whole read, on a new
 * snapshot.
 */
public final class Snapshots {
  private static final TransactionOptions READ_ONLY =
      TransactionOptions.newBuilder()
          .setReadOnly(TransactionOptions.ReadOnly.getDefaultInstance())
          .build();

  /** Runs {@code read} in a read-only transaction, retried as a whole under {@code idempotent}. */
  public static <V> V read(
      Datastore datastore, Idempotent idempotent, String what, Function<Transaction, V> read) {
    return idempotent.run(
        what,
        () -> {
          Transaction txn = datastore.newTransaction(READ_ONLY);
          try {
            return read.apply(txn);
          } finally {
            Transactions.rollbackIfActive(txn);
          }
        });
  }

  /**
   * Runs {@code tasks} on {@code executor} and returns their results in order; a task's exception
   * is rethrown as it is (not wrapped), so the retry policy sees a DatastoreException.
   */
  public static <V> List<V> inParallel(List<Supplier<V>> tasks, Executor executor) {
    if (tasks.size() == 1) {
      return Collections.singletonList(tasks.get(0).get()); // on this thread; may be null
    }
    List<CompletableFuture<V>> running = new ArrayList<>();
    tasks.forEach(t -> running.add(CompletableFuture.supplyAsync(t, executor)));
    List<V> results = new ArrayList<>();
    for (CompletableFuture<V> f : running) {
      try {
        results.add(f.join());
      } catch (CompletionException e) {
        running.forEach(r -> r.cancel(false));
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }
    return results;
  }

  private Snapshots() {}
}
