package dev.hotpath.shared.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The process-wide registry of hotpath's own metrics: what the Write API, the operations worker and
 * sweep, and the TURN watchdog did in this instance. Recording is an adder increment (or a volatile
 * write) on an object the caller already holds or finds without allocating, so the hot path stays
 * cheap; a reader takes a {@link #snapshot(int)}.
 *
 * <h2>Snapshot API (stable: the local status page and the summary record read it)</h2>
 *
 * <ul>
 *   <li>{@link #global()} — the registry every component of this process records into.
 *   <li>{@link #snapshot(int)} — a {@link MetricsSnapshot}, cumulative since the process started:
 *       <ul>
 *         <li>{@code counters()} and {@code groups()}: per name ({@link NameFigures}) increments or
 *             appends acknowledged, commits, 503s, current shard count and last write time, most
 *             recently written first, at most {@code limit} names (names idle for 10 minutes are
 *             dropped; beyond 1,000 names an instance records the rest under {@code "other"});
 *         <li>{@code operations()}: submitted, DONE, FAILED, re-enqueued by the sweep, and the
 *             oldest PENDING operation's age as the latest sweep saw it ({@link OperationFigures});
 *         <li>{@code write()}: Datastore calls, contention aborts, shard growths, 503s by cause and
 *             the flush latency histogram ({@link WriteFigures});
 *         <li>{@code watchdogRounds()} and {@code targets()}: watchdog rounds run and each TURN
 *             target's latest status and probe round-trip time ({@link TargetFigures}).
 *       </ul>
 * </ul>
 *
 * Two snapshots subtract to an interval; {@link MetricsEmitter} does that for the summary record.
 */
public final class Metrics {
  private static final Metrics GLOBAL = new Metrics(Clock.systemUTC());

  private final Clock clock;
  private final Map<Family, NameTable> names = new EnumMap<>(Family.class);
  private final Map<Event, LongAdder> events = new EnumMap<>(Event.class);
  private final Map<Unavailable, LongAdder> unavailable = new EnumMap<>(Unavailable.class);
  private final LatencyHistogram flushLatency = new LatencyHistogram();
  private final Map<String, TargetFigures> targets = new ConcurrentHashMap<>();
  private final NameStats discard = new NameStats("discarded");
  private volatile long oldestPendingAgeMillis = -1;
  private volatile boolean on = true;

  /** A registry of its own (tests); components record into {@link #global()}. */
  public Metrics(Clock clock) {
    this.clock = clock;
    for (Family f : Family.values()) {
      names.put(f, new NameTable());
    }
    for (Event e : Event.values()) {
      events.put(e, new LongAdder());
    }
    for (Unavailable u : Unavailable.values()) {
      unavailable.put(u, new LongAdder());
    }
  }

  /** The registry of this process. */
  public static Metrics global() {
    return GLOBAL;
  }

  /**
   * Turns recording on or off (HOTPATH_METRICS): off, every recording method returns at once (a
   * name's figures go to a discarded holder), so the cost of metrics can be measured.
   */
  public void enabled(boolean enabled) {
    on = enabled;
  }

  /** Whether recording is on. */
  public boolean enabled() {
    return on;
  }

  /** The live figures of counter or group {@code name}. */
  public NameStats name(Family family, String name) {
    return on ? names.get(family).of(name) : discard;
  }

  /** Counts one {@code event}. */
  public void count(Event event) {
    if (on) {
      events.get(event).increment();
    }
  }

  /** Counts {@code n} of {@code event}. */
  public void count(Event event, long n) {
    if (on) {
      events.get(event).add(n);
    }
  }

  /** Counts one 503 answer. */
  public void unavailable(Unavailable cause) {
    if (on) {
      unavailable.get(cause).increment();
    }
  }

  /** Records one flush that took {@code nanos} from its first attempt to its commit. */
  public void flushed(long nanos) {
    if (on) {
      flushLatency.record(nanos);
    }
  }

  /** What a sweep saw: the oldest PENDING operation's age, or -1 when none was pending. */
  public void oldestPending(long ageMillis) {
    if (on) {
      oldestPendingAgeMillis = ageMillis;
    }
  }

  /** A watchdog round's outcome for one target. */
  public void target(String target, String status, long probeMillis) {
    if (!on) {
      return;
    }
    targets.put(target, new TargetFigures(target, status, probeMillis, clock.instant()));
  }

  /** Milliseconds since the epoch by this registry's clock (what last-write times use). */
  public long nowMillis() {
    return clock.millis();
  }

  /** Everything now, with at most {@code limit} counters and as many groups. */
  public MetricsSnapshot snapshot(int limit) {
    Instant now = clock.instant();
    names.values().forEach(t -> t.prune(now.toEpochMilli()));
    Map<String, Long> byCause = new LinkedHashMap<>();
    unavailable.forEach((cause, n) -> byCause.put(cause.label(), n.sum()));
    List<TargetFigures> byTarget = new ArrayList<>(targets.values());
    byTarget.sort(Comparator.comparing(TargetFigures::target));
    return new MetricsSnapshot(
        now,
        limit(names.get(Family.COUNTER).figures(), limit),
        limit(names.get(Family.GROUP).figures(), limit),
        new OperationFigures(
            sum(Event.OPERATIONS_SUBMITTED),
            sum(Event.OPERATIONS_DONE),
            sum(Event.OPERATIONS_FAILED),
            sum(Event.OPERATIONS_REENQUEUED),
            oldestPendingAgeMillis),
        new WriteFigures(
            sum(Event.DATASTORE_CALLS),
            sum(Event.CONTENTION_ABORTS),
            sum(Event.SHARD_GROWTHS),
            Map.copyOf(byCause),
            flushLatency.snapshot()),
        sum(Event.WATCHDOG_ROUNDS),
        List.copyOf(byTarget));
  }

  /** The count of {@code event} since the process started. */
  public long sum(Event event) {
    return events.get(event).sum();
  }

  private static List<NameFigures> limit(List<NameFigures> all, int limit) {
    return all.size() <= limit ? all : List.copyOf(all.subList(0, limit));
  }
}
