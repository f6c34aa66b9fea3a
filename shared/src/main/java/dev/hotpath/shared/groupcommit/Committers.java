package dev.hotpath.shared.groupcommit;

import dev.hotpath.shared.datastore.ShardCountStore;
import dev.hotpath.shared.sharding.ShardPlanner;
import dev.hotpath.shared.sharding.ShardingOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * One {@link GroupCommitter} per counter or group in this instance, created on first use from the
 * stored shard count (storing the default for a new owner, so that later readers cover every
 * shard even if the configured default changes).
 */
public final class Committers<T, R> {
  private final Map<String, GroupCommitter<T, R>> byOwner = new ConcurrentHashMap<>();
  private final Function<String, BatchWriter<T, R>> writers;
  private final ShardCountStore counts;
  private final ShardingOptions sharding;
  private final CommitOptions options;
  private final CommitThreads threads;

  public Committers(
      Function<String, BatchWriter<T, R>> writers,
      ShardCountStore counts,
      ShardingOptions sharding,
      CommitOptions options,
      CommitThreads threads) {
    this.writers = writers;
    this.counts = counts;
    this.sharding = sharding;
    this.options = options;
    this.threads = threads;
  }

  public GroupCommitter<T, R> of(String owner) {
    return byOwner.computeIfAbsent(owner, this::create);
  }

  /** What a 503 asks callers to wait: one shard write interval, at least a second. */
  public static Duration retryAfter(ShardingOptions sharding) {
    long seconds = Math.max(1, (sharding.minWriteInterval().toMillis() + 999) / 1000);
    return Duration.ofSeconds(seconds);
  }

  private GroupCommitter<T, R> create(String owner) {
    int stored = counts.raise(owner, sharding.defaultShards());
    ShardPlanner planner = new ShardPlanner(stored, sharding, System::nanoTime, ThreadLocalRandom.current());
    return new GroupCommitter<>(
        owner,
        writers.apply(owner),
        planner,
        target -> counts.raise(owner, target),
        options,
        retryAfter(sharding),
        threads.scheduler(),
        threads.workers(),
        System::nanoTime);
  }
}
