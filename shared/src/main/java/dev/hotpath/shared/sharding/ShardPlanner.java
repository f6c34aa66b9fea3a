package dev.hotpath.shared.sharding;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Chooses the shard for the next write of one counter or group in this instance. A shard is
 * writable when no write of ours is in flight on it and our last write to it is at least the
 * minimum write interval old (Datastore sustains about one write per second per entity group).
 * Among writable shards the choice is random, so instances do not walk the shards in lock-step.
 * The count only grows.
 */
public final class ShardPlanner {
  private static final long NEVER = Long.MIN_VALUE / 2;

  private final ShardingOptions options;
  private final LongSupplier nanoTime;
  private final RandomGenerator random;
  private int count;
  private long[] lastWrite;
  private boolean[] leased;
  private long lastGrowth = NEVER;

  public ShardPlanner(int initialCount, ShardingOptions options, LongSupplier nanoTime, RandomGenerator random) {
    this.options = options;
    this.nanoTime = nanoTime;
    this.random = random;
    this.count = 0;
    this.lastWrite = new long[0];
    this.leased = new boolean[0];
    adopt(initialCount);
  }

  public synchronized int count() {
    return count;
  }

  /** Takes a writable shard for one write, or empty if none is writable now. */
  public synchronized OptionalInt lease() {
    long now = nanoTime.getAsLong();
    long interval = options.minWriteInterval().toNanos();
    int writable = 0;
    int chosen = -1;
    for (int i = 0; i < count; i++) {
      if (!leased[i] && now - lastWrite[i] >= interval) {
        writable++;
        if (random.nextInt(writable) == 0) {
          chosen = i; // reservoir sampling: uniform among the writable shards
        }
      }
    }
    if (chosen < 0) {
      return OptionalInt.empty();
    }
    leased[chosen] = true;
    return OptionalInt.of(chosen);
  }

  /** Gives back a leased shard; it counts as written now, whatever the outcome. */
  public synchronized void release(int shard) {
    leased[shard] = false;
    lastWrite[shard] = nanoTime.getAsLong();
  }

  /**
   * How long until some shard not in flight becomes writable (zero if one is); empty when every
   * shard is in flight, so only a release can free one.
   */
  public synchronized Optional<Duration> untilWritable() {
    long now = nanoTime.getAsLong();
    long interval = options.minWriteInterval().toNanos();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      if (!leased[i]) {
        best = Math.min(best, Math.max(0, lastWrite[i] + interval - now));
      }
    }
    return best == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(best));
  }

  /**
   * The count to grow to after observed contention (double, at most the maximum), or empty when
   * at the maximum or when the last growth is younger than one write interval — its effect has
   * not been seen yet.
   */
  public synchronized OptionalInt growthTarget() {
    long now = nanoTime.getAsLong();
    if (count >= options.maxShards() || now - lastGrowth < options.minWriteInterval().toNanos()) {
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
    lastWrite = Arrays.copyOf(lastWrite, newCount);
    leased = Arrays.copyOf(leased, newCount);
    Arrays.fill(lastWrite, count, newCount, NEVER);
    count = newCount;
  }
}
