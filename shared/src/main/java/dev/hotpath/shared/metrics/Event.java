package dev.hotpath.shared.metrics;

/**
 * Process-wide counts that carry no name. Each is a {@link java.util.concurrent.atomic.LongAdder}
 * in {@link Metrics}; {@link #field()} is its field in the summary record.
 */
public enum Event {
  /** Datastore RPCs the Write API's writers made (commits, lookups, begin/rollback). */
  DATASTORE_CALLS("datastore_calls"),
  /** Writes Datastore refused for contention (aborted transaction or stale base version). */
  CONTENTION_ABORTS("contention_aborts"),
  /** Times a counter's or group's stored shard count was raised. */
  SHARD_GROWTHS("shard_growths"),
  /** Operations accepted by POST /v1/operations. */
  OPERATIONS_SUBMITTED("operations_submitted"),
  /** Operations the worker applied (DONE). */
  OPERATIONS_DONE("operations_done"),
  /** Operations the worker marked FAILED. */
  OPERATIONS_FAILED("operations_failed"),
  /** PENDING operations whose task the sweep enqueued again. */
  OPERATIONS_REENQUEUED("operations_reenqueued"),
  /** Sweep runs. */
  SWEEPS("sweeps"),
  /** Watchdog rounds run. */
  WATCHDOG_ROUNDS("watchdog_rounds");

  private final String field;

  Event(String field) {
    this.field = field;
  }

  public String field() {
    return field;
  }
}
