package dev.hotpath.shared.operations;

import com.google.cloud.Timestamp;
import dev.hotpath.shared.metrics.Event;
import dev.hotpath.shared.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes the last window in which an accepted operation could stay PENDING without a task: a Write
 * API instance that dies after recording an operation and before creating its task. Run on a
 * schedule (Cloud Scheduler → {@code POST /v1/operations:sweep}), it re-ensures the task of every
 * operation still PENDING {@code minAge} after it was recorded.
 *
 * <p>Why this never applies anything twice: the operation's id is the guard. The sweep creates the
 * task under the same name, {@code op-<id>}, that the submit, a {@code GET} repair or a client
 * repeating its {@code Idempotency-Key} would create, so Cloud Tasks keeps one task; and the worker
 * applies an operation only in the transaction that moves its record from PENDING, so whichever
 * delivery comes first applies it and every other one finds it finished. Records younger than
 * {@code minAge} (by default a minute, far beyond a submit's own retry budget) are left to the
 * submit that is still working on them.
 */
public final class OperationSweeper {
  /** Most operations one sweep repairs; the next sweep takes the rest, oldest first. */
  public static final int BATCH = 500;

  private static final Logger LOG = Logger.getLogger(OperationSweeper.class.getName());

  /** What one sweep found and did. */
  public record Result(int stranded, int enqueued, int failed) {}

  private final OperationStore store;
  private final TaskEnqueuer enqueuer;
  private final Duration minAge;
  private final Clock clock;

  public OperationSweeper(
      OperationStore store, TaskEnqueuer enqueuer, Duration minAge, Clock clock) {
    this.store = store;
    this.enqueuer = enqueuer;
    this.minAge = minAge;
    this.clock = clock;
  }

  /** One sweep: ensures the task of each operation PENDING for longer than {@code minAge}. */
  public Result sweep() {
    Instant cutoff = clock.instant().minus(minAge);
    List<String> stranded =
        store.pendingCreatedBefore(
            Timestamp.ofTimeSecondsAndNanos(cutoff.getEpochSecond(), cutoff.getNano()), BATCH);
    int enqueued = 0;
    int failed = 0;
    for (String id : stranded) {
      try {
        enqueuer.ensureTask(id);
        enqueued++;
      } catch (RuntimeException e) {
        failed++;
        LOG.log(
            Level.WARNING,
            "sweep: could not ensure the task of operation " + id + "; the next sweep retries",
            e);
      }
    }
    if (!stranded.isEmpty()) {
      LOG.info(
          "sweep: "
              + stranded.size()
              + " operations PENDING longer than "
              + minAge
              + ", "
              + enqueued
              + " tasks ensured, "
              + failed
              + " failed");
    }
    Metrics metrics = Metrics.global();
    metrics.count(Event.SWEEPS);
    metrics.count(Event.OPERATIONS_REENQUEUED, enqueued);
    metrics.oldestPending(oldestAgeMillis(stranded));
    return new Result(stranded.size(), enqueued, failed);
  }

  /**
   * The age of the oldest PENDING operation as this sweep saw it: the first stranded one (they come
   * oldest first), one lookup; 0 when none is older than {@code minAge} (a younger one may exist,
   * which is normal: the alert's bound is above {@code minAge}).
   */
  private long oldestAgeMillis(List<String> stranded) {
    if (stranded.isEmpty()) {
      return 0;
    }
    try {
      return store
          .get(stranded.get(0))
          .filter(o -> !o.isFinished())
          .map(o -> Math.max(0, clock.millis() - o.createdAt().toDate().getTime()))
          .orElse(0L);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "sweep: could not read the oldest PENDING operation", e);
      return -1;
    }
  }
}
