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
 * Hands out, per counter, a shard to add an operation's increment to — the Write API's {@link
 * ShardPlanner} (affinity, contention avoidance, growth on contention or when every shard stays
 * busy), used by blocking callers (one transaction per operation) instead of its group committer.
 * When the planner's growth rule holds, the counter's stored shard count is raised before the wider
 * range is used, so readers always cover every written shard.
 */
final class ShardLeases {
  private static final Duration SPIN = Duration.ofMillis(2);
  private static final int MAX_PLANNERS = 10_000;

  private final ShardCountStore counts;
  private final ShardingOptions sharding;
  private final Map<String, ShardPlanner> planners =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ShardPlanner> eldest) {
          // Bounded: a worker sees ever new users. Forgetting a planner only forgets which shards
          // were
          // written lately; a collision then costs one ABORTED and a retry, never correctness.
          return size() > MAX_PLANNERS;
        }
      };

  /** A shard taken for one write; give it back with {@link #release}. */
  record Lease(ShardPlanner planner, int shard) {}

  ShardLeases(ShardCountStore counts, ShardingOptions sharding) {
    this.counts = counts;
    this.sharding = sharding;
  }

  /** A shard of {@code counter} to write now. */
  Lease lease(String counter, long deadlineNanos) {
    ShardPlanner planner = planner(counter);
    while (true) {
      OptionalInt shard = planner.lease();
      // An operation is a commit of its own: finding every shard busy is saturation.
      OptionalInt target = planner.growthTarget(shard.isEmpty());
      if (target.isPresent()) {
        planner.adopt(counts.raise(counter, target.getAsInt()));
      }
      if (shard.isPresent()) {
        return new Lease(planner, shard.getAsInt());
      }
      long pause = Math.max(SPIN.toNanos(), planner.untilWritable().orElse(SPIN).toNanos());
      if (System.nanoTime() + pause > deadlineNanos) {
        throw new UnavailableException(
            "no shard of counter " + counter + " was writable within the retry budget",
            sharding.minWriteInterval(),
            null);
      }
      sleepNanos(pause + ThreadLocalRandom.current().nextLong(SPIN.toNanos()));
    }
  }

  void release(Lease lease, ShardPlanner.Outcome outcome) {
    lease.planner().release(lease.shard(), outcome);
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
        new ShardPlanner(
            counts.raise(counter, sharding.defaultShards()), sharding, System::nanoTime);
    synchronized (planners) {
      return planners.computeIfAbsent(counter, name -> fresh);
    }
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException(
          "interrupted while waiting for a shard", Duration.ofSeconds(1), e);
    }
  }
}
