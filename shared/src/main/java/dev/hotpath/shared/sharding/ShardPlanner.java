package dev.hotpath.shared.sharding;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Chooses the shard for each write of one counter or group by this instance, so that the many
 * instances sharing the owner's shards keep off each other's (the rules and their arithmetic are in
 * docs/scale-out.md):
 *
 * <ul>
 *   <li><b>Own pace.</b> A shard this instance wrote is not written by it again within the minimum
 *       write interval (Datastore sustains about one write per second per entity).
 *   <li><b>Affinity.</b> The instance keeps writing the shards it holds; it takes a new one only
 *       when none of its own is writable, at random among the shards that are neither its own nor
 *       recently contended. Instances therefore settle on disjoint shards instead of meeting at
 *       random on every write.
 *   <li><b>Contention.</b> A shard whose commit was aborted for contention is someone else's: it
 *       leaves this instance's set and is avoided for {@value #AVOID_INTERVALS} write intervals
 *       (taken only when nothing else is writable, so no write starves).
 *   <li><b>Growth.</b> Only on evidence that the shards are too few for the load: contention (of
 *       this instance's recent writes — counts that decay with a time constant of {@value
 *       #CONTENTION_MEMORY_INTERVALS} write intervals — at least {@value #MIN_CONTENDED} and at
 *       least one in {@value #CONTENDED_SHARE} were aborted for contention since the count last
 *       changed; a shard found held by another instance counts as contended), or sustained
 *       saturation (the caller says a write worth a commit of its own found every shard busy, and
 *       at least {@value #SATURATED_UTILIZATION} of the shards were written twice within the last
 *       two write intervals — a burst that found them busy is no evidence that the load needs twice
 *       as many, and growing on bursts left counters with several times the shards their load
 *       needed); and only after a write of this owner succeeded (an owner whose writes all fail for
 *       another reason never grows), at most once per write interval. The count doubles up to the
 *       maximum and never shrinks. Callers pace small writes (a flush interval per instance), so
 *       neither signal comes from an instance outrunning its own shards with writes it could have
 *       merged.
 * </ul>
 *
 * <p>Randomness is the planner's own, seeded from {@link SecureRandom}: planners in different
 * processes, or for different owners, never walk the shards in the same order.
 */
public final class ShardPlanner {
  static final int AVOID_INTERVALS = 10;
  static final int CONTENTION_MEMORY_INTERVALS = 2;
  static final double MIN_CONTENDED = 1.5;
  static final int CONTENDED_SHARE = 8;
  static final double SATURATED_UTILIZATION = 0.9;
  private static final long MIN_MEMORY_NANOS = Duration.ofMillis(100).toNanos();
  private static final long NEVER = Long.MIN_VALUE / 4;
  private static final SecureRandom SEEDS = new SecureRandom();

  /** How a write on a leased shard ended. */
  public enum Outcome {
    /** Committed (or known to have landed). */
    WRITTEN,
    /** Aborted because another writer was on the shard: evidence of shared shards. */
    CONTENDED,
    /**
     * Not written: a read showed another instance wrote the shard moments ago, so it holds it. The
     * same evidence of shared shards as {@link #CONTENDED}, found without contending.
     */
    HELD_ELSEWHERE,
    /** Failed for another reason (unavailable, lock timeout, refused): says nothing of sharing. */
    FAILED
  }

  private final ShardingOptions options;
  private final LongSupplier nanoTime;
  private final RandomGenerator random;
  private int count;
  private long[] lastWrite = new long[0];
  private long[] writeBefore = new long[0];
  private long[] avoidUntil = new long[0];
  private boolean[] leased = new boolean[0];
  private boolean[] held = new boolean[0];
  private long lastGrowth = NEVER;
  private long decayedAt = NEVER;
  private double recentReleases;
  private double recentContended;
  private boolean written;

  /** A planner with its own securely seeded randomness. */
  public ShardPlanner(int initialCount, ShardingOptions options, LongSupplier nanoTime) {
    this(initialCount, options, nanoTime, new SplittableRandom(SEEDS.nextLong()));
  }

  /**
   * @param random used only under this planner's lock, so it need not be thread-safe
   */
  public ShardPlanner(
      int initialCount, ShardingOptions options, LongSupplier nanoTime, RandomGenerator random) {
    this.options = options;
    this.nanoTime = nanoTime;
    this.random = random;
    adopt(initialCount);
  }

  public synchronized int count() {
    return count;
  }

  /**
   * Takes a shard for one write: one of this instance's own if one is writable, else a free one
   * (which becomes its own), else a contended one; empty if no shard is writable now.
   */
  public synchronized OptionalInt lease() {
    long now = nanoTime.getAsLong();
    int chosen = pick(now, Candidates.HELD);
    if (chosen < 0) {
      chosen = pick(now, Candidates.FREE);
    }
    if (chosen < 0) {
      chosen = pick(now, Candidates.AVOIDED);
    }
    if (chosen < 0) {
      return OptionalInt.empty();
    }
    leased[chosen] = true;
    held[chosen] = true;
    return OptionalInt.of(chosen);
  }

  /** Gives back a leased shard; whatever the outcome, it counts as written by us now. */
  public synchronized void release(int shard, Outcome outcome) {
    long now = nanoTime.getAsLong();
    leased[shard] = false;
    writeBefore[shard] = lastWrite[shard];
    lastWrite[shard] = now;
    decay(now);
    recentReleases++;
    switch (outcome) {
      case WRITTEN -> written = true;
      case CONTENDED, HELD_ELSEWHERE -> {
        // Another instance's write of this owner succeeded moments ago (or contends with ours):
        // the owner's writes work, so its shards may grow even before one of ours lands.
        written |= outcome == Outcome.HELD_ELSEWHERE;
        held[shard] = false;
        avoidUntil[shard] = now + AVOID_INTERVALS * interval();
        recentContended++;
      }
      case FAILED -> {}
    }
  }

  /**
   * How long until some shard not in flight becomes writable (zero if one is); empty when every
   * shard is in flight, so only a release can free one.
   */
  public synchronized Optional<Duration> untilWritable() {
    long now = nanoTime.getAsLong();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      if (!leased[i]) {
        best = Math.min(best, Math.max(0, lastWrite[i] + interval() - now));
      }
    }
    return best == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(best));
  }

  /**
   * The count to grow to (double, at most the maximum) when the growth rule holds; empty otherwise.
   * A non-empty answer starts the hold, so callers grow at once or not at all.
   *
   * @param saturated the caller has a write worth a commit of its own (a full enough batch, an
   *     operation) and {@link #lease} found no shard writable
   */
  public synchronized OptionalInt growthTarget(boolean saturated) {
    long now = nanoTime.getAsLong();
    decay(now);
    boolean contended =
        recentContended >= MIN_CONTENDED && recentContended * CONTENDED_SHARE >= recentReleases;
    boolean sustained = saturated && (interval() == 0 || busyForTwoIntervals(now));
    boolean holding = now - lastGrowth < interval();
    if (count >= options.maxShards() || !written || !(contended || sustained) || holding) {
      return OptionalInt.empty();
    }
    lastGrowth = now;
    return OptionalInt.of(Math.min(options.maxShards(), count * 2));
  }

  /** Takes on a (stored) count; smaller counts are ignored, shards are never dropped. */
  public synchronized void adopt(int newCount) {
    if (newCount <= count) {
      return;
    }
    lastWrite = grown(lastWrite, newCount, NEVER);
    writeBefore = grown(writeBefore, newCount, NEVER);
    avoidUntil = grown(avoidUntil, newCount, NEVER);
    leased = Arrays.copyOf(leased, newCount);
    held = Arrays.copyOf(held, newCount);
    if (count > 0) {
      // Contention seen on the narrower range is no evidence against the wider one.
      lastGrowth = nanoTime.getAsLong();
      recentReleases = 0;
      recentContended = 0;
    }
    count = newCount;
  }

  private enum Candidates {
    HELD,
    FREE,
    AVOIDED
  }

  /**
   * A writable shard of the given candidates, or -1: of its own shards, the one written last (ties
   * at random), so that the instance keeps writing as few shards as its load needs and the rest,
   * unwritten, are seen as free by other instances (which skip shards written moments ago); of the
   * others, one uniformly at random (reservoir sampling).
   */
  private int pick(long now, Candidates which) {
    int seen = 0;
    int chosen = -1;
    for (int i = 0; i < count; i++) {
      if (which == Candidates.HELD && chosen >= 0 && lastWrite[i] < lastWrite[chosen]) {
        continue;
      }
      if (leased[i] || now - lastWrite[i] < interval()) {
        continue;
      }
      boolean avoided = now < avoidUntil[i];
      boolean candidate =
          switch (which) {
            case HELD -> held[i] && !avoided;
            case FREE -> !held[i] && !avoided;
            case AVOIDED -> avoided;
          };
      if (candidate
          && which == Candidates.HELD
          && chosen >= 0
          && lastWrite[i] > lastWrite[chosen]) {
        seen = 0; // a more recently written one: the ties so far no longer count
      }
      if (candidate && random.nextInt(++seen) == 0) {
        chosen = i;
      }
    }
    return chosen;
  }

  /**
   * Whether the shards have been taking the load for a while rather than one burst: at least
   * {@value #SATURATED_UTILIZATION} of them were written twice within the last two intervals. A
   * shard is written at most once per interval, so under a load they cannot take each is written
   * about once every interval; under a load they can take, only as many as it needs are (the
   * instance writes its most recently written shard first), and after a burst each was written
   * once.
   */
  private boolean busyForTwoIntervals(long now) {
    int twice = 0;
    for (int i = 0; i < count; i++) {
      if (now - writeBefore[i] <= 2 * interval()) {
        twice++;
      }
    }
    return twice >= SATURATED_UTILIZATION * count;
  }

  private long interval() {
    return options.minWriteInterval().toNanos();
  }

  /** Ages the recent counts: each weighs e^(-age / contentionMemory). */
  private void decay(long now) {
    double factor =
        decayedAt == NEVER ? 0 : Math.exp(-(double) (now - decayedAt) / contentionMemory());
    recentReleases *= factor;
    recentContended *= factor;
    decayedAt = now;
  }

  /** The time constant of the recent counts: contention older than a few of these is forgotten. */
  private long contentionMemory() {
    return CONTENTION_MEMORY_INTERVALS * Math.max(interval(), MIN_MEMORY_NANOS);
  }

  private static long[] grown(long[] values, int length, long fill) {
    int old = values.length;
    long[] copy = Arrays.copyOf(values, length);
    Arrays.fill(copy, old, length, fill);
    return copy;
  }
}
