package dev.hotpath.shared.operations;

import com.google.cloud.Timestamp;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code GET /v1/operations/{id}} shows of a deferred operation: its state, why it failed,
 * when it was accepted and finished, and how many transaction attempts it took. {@code requestHash}
 * identifies the mutations, so a repeated {@code Idempotency-Key} with other mutations is told
 * apart from a true repeat.
 */
public record Operation(
    String id,
    State state,
    Optional<String> error,
    Timestamp createdAt,
    Optional<Timestamp> doneAt,
    long attempts,
    String requestHash) {

  public enum State {
    /** Recorded and (being) enqueued; the worker has not finished it. */
    PENDING,
    /** Every mutation was applied, in the same commit that set this state. */
    DONE,
    /** Nothing was applied; {@link #error()} says why. Final. */
    FAILED
  }

  public Operation {
    Objects.requireNonNull(id);
    Objects.requireNonNull(state);
    Objects.requireNonNull(error);
    Objects.requireNonNull(createdAt);
    Objects.requireNonNull(doneAt);
    Objects.requireNonNull(requestHash);
  }

  public boolean isFinished() {
    return state != State.PENDING;
  }
}
