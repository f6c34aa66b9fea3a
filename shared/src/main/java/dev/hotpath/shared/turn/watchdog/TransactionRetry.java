package dev.hotpath.shared.turn.watchdog;

import com.google.cloud.datastore.DatastoreException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the store re-runs a whole transaction (fresh reads included): on contention (ABORTED) and on
 * transient failures where the commit may or may not have applied; the watchdog's transactions are
 * idempotent per round, so re-running them is safe. Exponential backoff with full jitter.
 *
 * @param attempts total tries, at least 1
 */
public record TransactionRetry(int attempts, Duration initialBackoff, Duration maxBackoff) {
  public static final TransactionRetry DEFAULT = new TransactionRetry(6, Duration.ofMillis(50), Duration.ofSeconds(2));

  private static final Set<String> RETRYABLE = Set.of("ABORTED", "UNAVAILABLE", "DEADLINE_EXCEEDED");

  public TransactionRetry {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
  }

  static boolean retryable(DatastoreException e) {
    return RETRYABLE.contains(e.getReason()) || RETRYABLE.contains(DatastoreException.extractStatusCode(e));
  }

  /** The pause before try {@code attempt} (2, 3, …). */
  Duration backoff(int attempt) {
    long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(20, attempt - 2));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
  }
}
