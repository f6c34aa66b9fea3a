package dev.hotpath.shared.groupcommit;

import dev.hotpath.shared.config.CommitOptions;
import dev.hotpath.shared.metrics.Family;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.sharding.ShardPlanner;
import dev.hotpath.shared.sharding.ShardingOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One {@link GroupCommitter} per counter or group in this instance, started on first use from the
 * stored shard count (storing the default for a new owner, so that later readers cover every shard
 * even if the configured default changes) and dropped once idle for {@link #IDLE_EVICTION}, so an
 * instance that sees a counter per user or per room keeps only the busy ones.
 *
 * <p>Loading the stored count is a Datastore transaction: it runs on a worker while the first items
 * wait in the owner's future, never inside the map's computation, so no request for another owner
 * waits on it. Evicting a committer that just took an item is harmless: it still writes what it
 * holds, and the next item starts a fresh one (two planners on one owner for a moment).
 */
public final class Committers<T, R> {
  /** How long a committer with nothing pending or in flight is kept. */
  public static final Duration IDLE_EVICTION = Duration.ofMinutes(1);

  private final Map<String, CompletableFuture<GroupCommitter<T, R>>> byOwner =
      new ConcurrentHashMap<>();
  private final Function<String, BatchWriter<T, R>> writers;
  private final ShardCounts counts;
  private final ShardingOptions sharding;
  private final CommitOptions options;
  private final CommitThreads threads;
  private final LongSupplier nanoTime;
  private final Metrics metrics;
  private final Family family;

  /** Committers whose figures go to a registry of their own (tests). */
  public Committers(
      Function<String, BatchWriter<T, R>> writers,
      ShardCounts counts,
      ShardingOptions sharding,
      CommitOptions options,
      CommitThreads threads,
      LongSupplier nanoTime) {
    this(
        writers,
        counts,
        sharding,
        options,
        threads,
        nanoTime,
        new Metrics(Clock.systemUTC()),
        Family.COUNTER);
  }

  /**
   * @param metrics where each owner's committer records its figures
   * @param family whether the owners are counters or groups
   */
  public Committers(
      Function<String, BatchWriter<T, R>> writers,
      ShardCounts counts,
      ShardingOptions sharding,
      CommitOptions options,
      CommitThreads threads,
      LongSupplier nanoTime,
      Metrics metrics,
      Family family) {
    this.writers = writers;
    this.metrics = metrics;
    this.family = family;
    this.counts = counts;
    this.sharding = sharding;
    this.options = options;
    this.threads = threads;
    this.nanoTime = nanoTime;
    long sweep = IDLE_EVICTION.toNanos() / 2;
    threads
        .scheduler()
        .scheduleWithFixedDelay(
            () -> threads.workers().execute(this::evictIdle), sweep, sweep, TimeUnit.NANOSECONDS);
  }

  /** Queues {@code item} for {@code owner}; the future completes once its write has committed. */
  public CompletableFuture<R> submit(String owner, T item) {
    return committer(owner).thenCompose(c -> c.submit(item));
  }

  /** How many owners have a committer now. */
  public int size() {
    return byOwner.size();
  }

  /** Drops the committers idle for at least {@link #IDLE_EVICTION}. */
  void evictIdle() {
    long now = nanoTime.getAsLong();
    byOwner
        .values()
        .removeIf(
            f ->
                f.isDone()
                    && !f.isCompletedExceptionally()
                    && f.join().idleFor(now).compareTo(IDLE_EVICTION) >= 0);
  }

  /** What a 503 asks callers to wait: one shard write interval, at least a second. */
  public static Duration retryAfter(ShardingOptions sharding) {
    long seconds = Math.max(1, (sharding.minWriteInterval().toMillis() + 999) / 1000);
    return Duration.ofSeconds(seconds);
  }

  private CompletableFuture<GroupCommitter<T, R>> committer(String owner) {
    CompletableFuture<GroupCommitter<T, R>> known = byOwner.get(owner);
    if (known != null) {
      return known;
    }
    CompletableFuture<GroupCommitter<T, R>> fresh = new CompletableFuture<>();
    known = byOwner.putIfAbsent(owner, fresh);
    if (known != null) {
      return known;
    }
    threads
        .workers()
        .execute(
            () -> {
              try {
                fresh.complete(create(owner, counts.raise(owner, sharding.defaultShards())));
              } catch (RuntimeException e) {
                byOwner.remove(owner, fresh); // the next item tries again
                fresh.completeExceptionally(e);
              }
            });
    return fresh;
  }

  private GroupCommitter<T, R> create(String owner, int stored) {
    return new GroupCommitter<>(
        owner,
        writers.apply(owner),
        new ShardPlanner(stored, sharding, nanoTime),
        target -> counts.raise(owner, target),
        options,
        retryAfter(sharding),
        threads.scheduler(),
        threads.workers(),
        nanoTime,
        metrics,
        family);
  }
}
