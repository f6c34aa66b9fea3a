package dev.hotpath.shared.operations;

import dev.hotpath.shared.datastore.ShardCountStore;
import dev.hotpath.shared.sharding.ShardPlanner;
import dev.hotpath.shared.sharding.ShardingOptions;
import dev.hotpath.shared.validation.UnavailableException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out, per counter, a shard that this instance has not written for one write interval and
 * has no write in flight on — the Write API's {@link ShardPlanner}, used by blocking callers (one
 * transaction per operation) instead of its group committer. When a caller has waited {@code
 * growAfterWait} for a shard, the counter's stored shard count is raised (doubled, up to the
 * maximum) before the wider range is used, so readers always cover every written shard.
 */
final class ShardLeases {
  private static final Duration SPIN = Duration.ofMillis(2);
  private static final int MAX_PLANNERS = 10_000;

  private final ShardCountStore counts;
  private final ShardingOptions sharding;
  private final Duration growAfterWait;
  private final Map<String, ShardPlanner> planners = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ShardPlanner> eldest) {
      // Bounded: a worker sees ever new users. Forgetting a planner only forgets which shards were
      // written lately; a collision then costs one ABORTED and a retry, never correctness.
      return size() > MAX_PLANNERS;
    }
  };

  /** A shard taken for one write; give it back with {@link #release}. */
  record Lease(ShardPlanner planner, int shard) {}

  ShardLeases(ShardCountStore counts, ShardingOptions sharding, Duration growAfterWait) {
    this.counts = counts;
    this.sharding = sharding;
    this.growAfterWait = growAfterWait;
  }

  /** A shard of {@code counter} to write now. */
  Lease lease(String counter, long deadlineNanos) {
    ShardPlanner planner = planner(counter);
    long started = System.nanoTime();
    while (true) {
      OptionalInt shard = planner.lease();
      if (shard.isPresent()) {
        return new Lease(planner, shard.getAsInt());
      }
      if (System.nanoTime() - started >= growAfterWait.toNanos()) {
        OptionalInt target = planner.growthTarget();
        if (target.isPresent()) {
          planner.adopt(counts.raise(counter, target.getAsInt()));
          continue;
        }
      }
      Duration wait = planner.untilWritable().orElse(SPIN);
      long pause = Math.max(SPIN.toNanos(), Math.min(wait.toNanos(), growAfterWait.toNanos()));
      if (System.nanoTime() + pause > deadlineNanos) {
        throw new UnavailableException(
            "no shard of counter " + counter + " was writable within the retry budget", sharding.minWriteInterval(), null);
      }
      sleepNanos(pause + ThreadLocalRandom.current().nextLong(SPIN.toNanos()));
    }
  }

  void release(Lease lease) {
    lease.planner().release(lease.shard());
  }

  private ShardPlanner planner(String counter) {
    synchronized (planners) {
      ShardPlanner known = planners.get(counter);
      if (known != null) {
        return known;
      }
    }
    // The first use in this instance: adopt the stored count, storing the default if there is none
    // (one transaction; outside the lock, so other counters are not held up by it).
    ShardPlanner fresh =
        new ShardPlanner(counts.raise(counter, sharding.defaultShards()), sharding, System::nanoTime, ThreadLocalRandom.current());
    synchronized (planners) {
      return planners.computeIfAbsent(counter, name -> fresh);
    }
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting for a shard", Duration.ofSeconds(1), e);
    }
  }
}
