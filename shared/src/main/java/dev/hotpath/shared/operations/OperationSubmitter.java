package dev.hotpath.shared.operations;

import com.google.cloud.Timestamp;
import dev.hotpath.shared.metrics.Event;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.validation.UnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Accepts a validated operation: records it, then enqueues its task.
 *
 * <p>Why neither a phantom (a recorded operation that never runs) nor an orphan (a task for an
 * operation nobody can look up) can remain:
 *
 * <ol>
 *   <li><b>Record first.</b> The task is created only after the PENDING record is durably written,
 *       so every task's operation can be looked up: no orphan. A record write whose outcome is
 *       unknown is repeated (the write reads first and finds its own earlier write).
 *   <li><b>Task named after the operation.</b> {@code op-<id>}: repeating the create after an
 *       unknown outcome, or on a later repair, cannot make a second task (ALREADY_EXISTS).
 *   <li><b>Compensation.</b> If the task cannot be created within the retry budget, the record is
 *       moved PENDING → FAILED ("could not be enqueued") in a transaction, and the client gets 503.
 *       The worker also changes the record only in a transaction that reads it PENDING, so the two
 *       cannot both win: if the create had in fact succeeded and the worker finished first, the
 *       compensation finds DONE/FAILED and the client gets 202 after all; if the compensation wins,
 *       the late task finds FAILED and applies nothing.
 *   <li><b>Repair.</b> Should even the compensation fail (Datastore unreachable), or the instance
 *       die between record and task, the record stays PENDING with perhaps no task. The scheduled
 *       {@link OperationSweeper}, any later {@code GET} of an operation PENDING longer than {@code
 *       HOTPATH_OPERATION_REENQUEUE_AFTER_MS}, and any repeat of its {@code Idempotency-Key}
 *       re-ensure the task (harmless if it exists).
 * </ol>
 */
public final class OperationSubmitter {
  private static final Logger LOG = Logger.getLogger(OperationSubmitter.class.getName());

  /** A repeated Idempotency-Key came with different mutations. */
  public static final class IdempotencyConflict extends RuntimeException {
    IdempotencyConflict(String message) {
      super(message);
    }
  }

  private final OperationStore store;
  private final TaskEnqueuer enqueuer;
  private final Duration reenqueueAfter;

  public OperationSubmitter(OperationStore store, TaskEnqueuer enqueuer, Duration reenqueueAfter) {
    this.store = store;
    this.enqueuer = enqueuer;
    this.reenqueueAfter = reenqueueAfter;
  }

  /**
   * Records and enqueues {@code payload} as operation {@code id} (derived from the Idempotency-Key
   * if given). A repeat of a keyed request returns the existing operation.
   */
  public Operation submit(String id, OperationPayload payload) {
    Operation recorded;
    try {
      recorded = store.create(id, payload);
    } catch (UnavailableException e) {
      // The record may have landed after all; make sure it cannot sit PENDING without a task.
      compensate(id, "could not be recorded: " + e.getMessage());
      throw e;
    }
    if (!recorded.requestHash().equals(payload.hash())) {
      throw new IdempotencyConflict(
          "Idempotency-Key already names operation " + id + " with other mutations; use a new key");
    }
    if (recorded.isFinished()) {
      return recorded;
    }
    try {
      enqueuer.ensureTask(id);
      Metrics.global().count(Event.OPERATIONS_SUBMITTED);
      return recorded;
    } catch (RuntimeException e) {
      String reason = "could not be enqueued: " + e.getMessage();
      Optional<Operation> after = compensate(id, reason);
      if (after.isPresent()
          && !after.get().error().equals(Optional.of(reason))
          && after.get().isFinished()) {
        return after.get(); // the create had landed and the worker finished it before our doubt
      }
      throw e;
    }
  }

  /** The operation, re-ensuring the task of one that has been PENDING suspiciously long. */
  public Optional<Operation> get(String id) {
    Optional<Operation> operation = store.get(id);
    if (operation.isPresent() && !operation.get().isFinished() && pendingTooLong(operation.get())) {
      try {
        enqueuer.ensureTask(id);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "could not re-ensure the task of operation " + id, e);
      }
    }
    return operation;
  }

  private boolean pendingTooLong(Operation operation) {
    Timestamp created = operation.createdAt();
    return Instant.ofEpochSecond(created.getSeconds(), created.getNanos())
        .plus(reenqueueAfter)
        .isBefore(Instant.now());
  }

  private Optional<Operation> compensate(String id, String reason) {
    try {
      return store.failIfPending(id, reason, 0);
    } catch (RuntimeException e) {
      LOG.log(
          Level.SEVERE,
          "operation " + id + " may stay PENDING without a task until the sweep repairs it",
          e);
      return Optional.empty();
    }
  }
}
