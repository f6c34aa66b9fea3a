package dev.hotpath.shared.datastore;

import com.google.cloud.datastore.DatastoreException;
import dev.hotpath.shared.retry.RetryPolicy;
import dev.hotpath.shared.validation.UnavailableException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs an idempotent Datastore call (a lookup, a query, raising a shard count) with the retry
 * policy: repeating it cannot apply anything twice, so every transient failure may be retried,
 * whatever its outcome. When the budget is spent the caller gets {@link UnavailableException}.
 */
public final class Idempotent {
  private final RetryPolicy retry;
  private final Duration retryAfter;

  public Idempotent(RetryPolicy retry, Duration retryAfter) {
    this.retry = retry;
    this.retryAfter = retryAfter;
  }

  public <V> V run(String what, Supplier<V> read) {
    long deadline = System.nanoTime() + retry.budget().toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return read.get();
      } catch (DatastoreException e) {
        WriteFailure failure = DatastoreFailures.classify(e);
        if (failure.kind() == WriteFailure.Kind.PERMANENT) {
          throw e;
        }
        Duration pause = retry.backoff(attempt, ThreadLocalRandom.current());
        if (System.nanoTime() + pause.toNanos() > deadline) {
          throw new UnavailableException(
              what + " failed within the retry budget: " + failure.getMessage(), retryAfter, e);
        }
        try {
          Thread.sleep(pause.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new UnavailableException(what + " was interrupted", retryAfter, ie);
        }
      }
    }
  }
}
