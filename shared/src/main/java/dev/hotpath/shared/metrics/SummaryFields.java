package dev.hotpath.shared.metrics;

import java.util.List;

/**
 * The field names of the records {@link MetricsEmitter} writes: the contract between the code and
 * Terraform's log-based metrics (a test checks that every field Terraform extracts is listed here).
 *
 * <p>Every record has {@link #RECORD}, one of {@link #SUMMARY}, {@link #NAME}, {@link
 * #UNAVAILABLE}, {@link #TARGET}; the interval's values are deltas since the instance's previous
 * emission, gauges their latest value.
 */
public final class SummaryFields {
  /** Which record this is (the records' discriminator). */
  public static final String RECORD = "hotpath_metrics";

  /** Record kind: the instance's totals for the interval (one per instance per interval). */
  public static final String SUMMARY = "summary";

  /** Record kind: one hot counter or group (at most {@link MetricsEmitter#TOP} + "other"). */
  public static final String NAME = "name";

  /** Record kind: 503 answers of one cause in the interval (only causes that occurred). */
  public static final String UNAVAILABLE = "unavailable";

  /** Record kind: one TURN target's latest status (targets a round saw in the interval). */
  public static final String TARGET = "target";

  // summary
  public static final String INTERVAL_S = "interval_s";
  public static final String DATASTORE_CALLS = "datastore_calls";
  public static final String CONTENTION_ABORTS = "contention_aborts";
  public static final String SHARD_GROWTHS = "shard_growths";
  public static final String FLUSHES = "flushes";
  public static final String FLUSH_P50_MS = "flush_p50_ms";
  public static final String FLUSH_P99_MS = "flush_p99_ms";
  public static final String FLUSH_SUM_MS = "flush_sum_ms";
  public static final String OPERATIONS_SUBMITTED = "operations_submitted";
  public static final String OPERATIONS_DONE = "operations_done";
  public static final String OPERATIONS_FAILED = "operations_failed";
  public static final String OPERATIONS_REENQUEUED = "operations_reenqueued";
  public static final String SWEEPS = "sweeps";
  public static final String OLDEST_PENDING_S = "oldest_pending_s";
  public static final String WATCHDOG_ROUNDS = "watchdog_rounds";

  // name
  public static final String FAMILY = "family";
  public static final String NAME_FIELD = "name";
  public static final String ACKNOWLEDGED = "acknowledged";
  public static final String COMMITS = "commits";
  public static final String UNAVAILABLE_COUNT = "unavailable";
  public static final String SHARDS = "shards";

  // unavailable
  public static final String CAUSE = "cause";
  public static final String COUNT = "count";

  // target
  public static final String TARGET_FIELD = "target";
  public static final String STATUS = "status";
  public static final String PROBE_MS = "probe_ms";

  /** Every field any record may carry. */
  public static final List<String> ALL =
      List.of(
          RECORD,
          INTERVAL_S,
          DATASTORE_CALLS,
          CONTENTION_ABORTS,
          SHARD_GROWTHS,
          FLUSHES,
          FLUSH_P50_MS,
          FLUSH_P99_MS,
          FLUSH_SUM_MS,
          OPERATIONS_SUBMITTED,
          OPERATIONS_DONE,
          OPERATIONS_FAILED,
          OPERATIONS_REENQUEUED,
          SWEEPS,
          OLDEST_PENDING_S,
          WATCHDOG_ROUNDS,
          FAMILY,
          NAME_FIELD,
          ACKNOWLEDGED,
          COMMITS,
          UNAVAILABLE_COUNT,
          SHARDS,
          CAUSE,
          COUNT,
          TARGET_FIELD,
          STATUS,
          PROBE_MS);

  private SummaryFields() {}
}
