package dev.hotpath.shared.metrics;

import com.google.gson.Gson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Writes {@link Metrics} as a few structured log records per instance per interval, from which
 * Terraform's log-based metrics are extracted (no exporter dependency, and no background timer:
 * Cloud Run throttles CPU outside requests, so a timer might never run). The request path calls
 * {@link #maybeEmit()}: once the interval has elapsed one thread wins a compare-and-set and emits,
 * the others return at once — no lock on the hot path. {@link #flush()} writes what is pending (the
 * SIGTERM hook calls it).
 *
 * <p>Per emission: one {@link SummaryFields#SUMMARY} record; per family the {@link #TOP} names with
 * the most acknowledged writes in the interval plus the rest summed as {@code "other"} ({@link
 * SummaryFields#NAME} records, so the {@code name} label stays bounded); one {@link
 * SummaryFields#UNAVAILABLE} record per 503 cause that occurred; one {@link SummaryFields#TARGET}
 * record per TURN target a round saw. (A log-based metric takes one value and one label set per
 * entry, so per-name figures cannot share one record.)
 *
 * <p>How a record reaches {@code jsonPayload}: the invoker's JSON handler (1.4.1, {@code
 * com.google.cloud.functions.invoker.gcf.JsonLogHandler}) writes only severity, source location and
 * {@code message}, never a record's parameters. So the fields are rendered into the message as
 * compact JSON after {@link #MESSAGE_PREFIX} (Terraform extracts them from {@code
 * jsonPayload.message} with regular expressions, which works under that handler and any other), and
 * they are also the record's single parameter, a {@code Map<String, Object>}, for a handler that
 * lifts structured fields into {@code jsonPayload}.
 */
public final class MetricsEmitter {
  /** The logger the records are written to, at INFO. */
  public static final String LOGGER = "dev.hotpath.metrics";

  /** Every record's message starts with this, then the fields as JSON. */
  public static final String MESSAGE_PREFIX = "hotpath metrics ";

  /** Names per family reported by name each interval; the rest are "other". */
  public static final int TOP = 5;

  private static final Logger LOG = Logger.getLogger(LOGGER);
  private static final Gson GSON = new Gson();

  private final Metrics metrics;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextAt;
  private MetricsSnapshot previous;

  /**
   * @param interval the least time between two emissions
   * @param nanoTime the clock intervals are measured on (tests inject one)
   */
  public MetricsEmitter(Metrics metrics, Duration interval, LongSupplier nanoTime) {
    this.metrics = metrics;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.nextAt = new AtomicLong(nanoTime.getAsLong() + intervalNanos);
    this.previous = metrics.snapshot(Integer.MAX_VALUE);
  }

  /** Emits if the interval has elapsed and no other thread took this turn; otherwise returns. */
  public void maybeEmit() {
    long now = nanoTime.getAsLong();
    long due = nextAt.get();
    if (now - due < 0 || !nextAt.compareAndSet(due, now + intervalNanos)) {
      return;
    }
    flush();
  }

  /** Emits the figures since the previous emission now (on SIGTERM, or in tests). */
  public synchronized void flush() {
    MetricsSnapshot now = metrics.snapshot(Integer.MAX_VALUE);
    records(previous, now).forEach(MetricsEmitter::log);
    previous = now;
  }

  /** The records of the interval between two snapshots. */
  static List<Map<String, Object>> records(MetricsSnapshot before, MetricsSnapshot now) {
    List<Map<String, Object>> records = new ArrayList<>();
    records.add(summary(before, now));
    records.addAll(names(Family.COUNTER, before.counters(), now.counters()));
    records.addAll(names(Family.GROUP, before.groups(), now.groups()));
    now.write()
        .unavailableByCause()
        .forEach(
            (cause, n) -> {
              long delta = n - before.write().unavailableByCause().getOrDefault(cause, 0L);
              if (delta > 0) {
                Map<String, Object> r = record(SummaryFields.UNAVAILABLE);
                r.put(SummaryFields.CAUSE, cause);
                r.put(SummaryFields.COUNT, delta);
                records.add(r);
              }
            });
    for (TargetFigures t : now.targets()) {
      if (t.at().isAfter(before.at()) || !before.targets().contains(t)) {
        Map<String, Object> r = record(SummaryFields.TARGET);
        r.put(SummaryFields.TARGET_FIELD, t.target());
        r.put(SummaryFields.STATUS, t.status());
        if (t.probeMillis() >= 0) {
          r.put(SummaryFields.PROBE_MS, t.probeMillis());
        }
        records.add(r);
      }
    }
    return records;
  }

  private static Map<String, Object> summary(MetricsSnapshot before, MetricsSnapshot now) {
    Map<String, Object> r = record(SummaryFields.SUMMARY);
    r.put(
        SummaryFields.INTERVAL_S, Math.max(0, Duration.between(before.at(), now.at()).toSeconds()));
    WriteFigures w = now.write();
    WriteFigures wb = before.write();
    r.put(SummaryFields.DATASTORE_CALLS, w.datastoreCalls() - wb.datastoreCalls());
    r.put(SummaryFields.CONTENTION_ABORTS, w.contentionAborts() - wb.contentionAborts());
    r.put(SummaryFields.SHARD_GROWTHS, w.shardGrowths() - wb.shardGrowths());
    Histogram flushes = w.flushLatency().minus(wb.flushLatency());
    r.put(SummaryFields.FLUSHES, flushes.count());
    if (flushes.count() > 0) {
      r.put(SummaryFields.FLUSH_P50_MS, flushes.quantileMillis(0.5));
      r.put(SummaryFields.FLUSH_P99_MS, flushes.quantileMillis(0.99));
      r.put(SummaryFields.FLUSH_SUM_MS, flushes.sumMillis());
    }
    OperationFigures o = now.operations();
    OperationFigures ob = before.operations();
    r.put(SummaryFields.OPERATIONS_SUBMITTED, o.submitted() - ob.submitted());
    r.put(SummaryFields.OPERATIONS_DONE, o.done() - ob.done());
    r.put(SummaryFields.OPERATIONS_FAILED, o.failed() - ob.failed());
    r.put(SummaryFields.OPERATIONS_REENQUEUED, o.reenqueued() - ob.reenqueued());
    if (o.oldestPendingAgeMillis() >= 0) {
      r.put(SummaryFields.OLDEST_PENDING_S, o.oldestPendingAgeMillis() / 1000);
    }
    r.put(SummaryFields.WATCHDOG_ROUNDS, now.watchdogRounds() - before.watchdogRounds());
    return r;
  }

  /** The {@link #TOP} names with the most acknowledged writes in the interval, then "other". */
  private static List<Map<String, Object>> names(
      Family family, List<NameFigures> before, List<NameFigures> now) {
    Map<String, NameFigures> earlier = new HashMap<>();
    before.forEach(f -> earlier.put(f.name(), f));
    List<NameFigures> deltas = new ArrayList<>();
    for (NameFigures f : now) {
      NameFigures b = earlier.get(f.name());
      // A name dropped for idleness and seen again starts from zero.
      if (b == null || f.commits() < b.commits() || f.acknowledged() < b.acknowledged()) {
        b = new NameFigures(f.name(), 0, 0, 0, 0, null);
      }
      NameFigures d =
          new NameFigures(
              f.name(),
              f.acknowledged() - b.acknowledged(),
              f.commits() - b.commits(),
              Math.max(0, f.unavailable() - b.unavailable()),
              f.shards(),
              f.lastWrite());
      if (d.acknowledged() > 0 || d.commits() > 0 || d.unavailable() > 0) {
        deltas.add(d);
      }
    }
    deltas.sort(
        Comparator.comparingLong(NameFigures::acknowledged)
            .thenComparingLong(NameFigures::unavailable)
            .reversed()
            .thenComparing(NameFigures::name));
    List<Map<String, Object>> records = new ArrayList<>();
    NameFigures other = new NameFigures(NameTable.OTHER, 0, 0, 0, 0, null);
    for (int i = 0; i < deltas.size(); i++) {
      NameFigures d = deltas.get(i);
      if (i < TOP && !d.name().equals(NameTable.OTHER)) {
        records.add(nameRecord(family, d));
      } else {
        other =
            new NameFigures(
                NameTable.OTHER,
                other.acknowledged() + d.acknowledged(),
                other.commits() + d.commits(),
                other.unavailable() + d.unavailable(),
                Math.max(other.shards(), d.shards()),
                null);
      }
    }
    if (other.commits() > 0 || other.unavailable() > 0 || other.acknowledged() > 0) {
      records.add(nameRecord(family, other));
    }
    return records;
  }

  private static Map<String, Object> nameRecord(Family family, NameFigures d) {
    Map<String, Object> r = record(SummaryFields.NAME);
    r.put(SummaryFields.FAMILY, family.label());
    r.put(SummaryFields.NAME_FIELD, d.name());
    r.put(SummaryFields.ACKNOWLEDGED, d.acknowledged());
    r.put(SummaryFields.COMMITS, d.commits());
    r.put(SummaryFields.UNAVAILABLE_COUNT, d.unavailable());
    r.put(SummaryFields.SHARDS, d.shards());
    return r;
  }

  private static Map<String, Object> record(String kind) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put(SummaryFields.RECORD, kind);
    return r;
  }

  private static void log(Map<String, Object> fields) {
    LogRecord record = new LogRecord(Level.INFO, MESSAGE_PREFIX + GSON.toJson(fields));
    record.setLoggerName(LOGGER);
    record.setSourceClassName(MetricsEmitter.class.getName());
    record.setSourceMethodName("flush");
    record.setParameters(new Object[] {Collections.unmodifiableMap(fields)});
    LOG.log(record);
  }
}
