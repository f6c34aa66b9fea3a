package dev.hotpath.shared.groupcommit;

import dev.hotpath.shared.sharding.ShardPlanner;
import dev.hotpath.shared.validation.InvalidInputException;
import dev.hotpath.shared.validation.UnavailableException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for one counter or group in this instance: items submitted close together are
 * merged into one batch, written in one commit on one shard, and every submitter is answered only
 * once that commit is known to have landed.
 *
 * <p>Retries: a batch that certainly was not applied (contention) goes back to the queue and is
 * written on another shard, merged with newer items; a batch whose outcome is unknown is retried
 * on the same shard under the same flush id, which the {@link BatchWriter} uses to apply it at
 * most once. A submitter whose item could not be written within the retry budget gets {@link
 * UnavailableException}. Waiting for a writable shard longer than {@code growAfterWait}, or
 * contention, doubles the shard count (persisted through {@code growth}).
 */
public final class GroupCommitter<T, R> {
  private static final Logger LOG = Logger.getLogger(GroupCommitter.class.getName());
  private static final long NONE = Long.MIN_VALUE;

  private final String owner;
  private final BatchWriter<T, R> writer;
  private final ShardPlanner planner;
  private final IntUnaryOperator growth;
  private final CommitOptions options;
  private final Duration retryAfter;
  private final ScheduledExecutorService scheduler;
  private final Executor workers;
  private final LongSupplier nanoTime;

  private final Deque<Pending<T, R>> pending = new ArrayDeque<>();
  private long drainAt = Long.MAX_VALUE;
  private long waitingSince = NONE;
  private boolean growing;
  private int inFlight;

  /**
   * @param owner names the counter or group in messages
   * @param growth raises the stored shard count to at least its argument and returns the stored
   *     count (blocking; run on {@code workers})
   * @param retryAfter what a 503 tells the caller to wait
   */
  public GroupCommitter(
      String owner,
      BatchWriter<T, R> writer,
      ShardPlanner planner,
      IntUnaryOperator growth,
      CommitOptions options,
      Duration retryAfter,
      ScheduledExecutorService scheduler,
      Executor workers,
      LongSupplier nanoTime) {
    this.owner = owner;
    this.writer = writer;
    this.planner = planner;
    this.growth = growth;
    this.options = options;
    this.retryAfter = retryAfter;
    this.scheduler = scheduler;
    this.workers = workers;
    this.nanoTime = nanoTime;
  }

  /** Queues {@code item}; the future completes once the write holding it has committed. */
  public CompletableFuture<R> submit(T item) {
    Pending<T, R> p = new Pending<>(item, nanoTime.getAsLong() + options.retry().budget().toNanos());
    synchronized (this) {
      pending.addLast(p);
      scheduleDrain(pending.size() >= options.maxBatch() ? Duration.ZERO : options.window());
    }
    return p.future;
  }

  /** The shard count this instance writes across. */
  public int shardCount() {
    return planner.count();
  }

  private synchronized void scheduleDrain(Duration delay) {
    long at = nanoTime.getAsLong() + delay.toNanos();
    if (at >= drainAt) {
      return; // an earlier drain is already due and will take these items too
    }
    drainAt = at;
    scheduler.schedule(this::drain, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void drain() {
    List<InFlight> started = new ArrayList<>();
    synchronized (this) {
      drainAt = Long.MAX_VALUE;
      long now = nanoTime.getAsLong();
      expire(now);
      while (!pending.isEmpty() && inFlight < options.maxInFlight()) {
        OptionalInt shard = planner.lease();
        if (shard.isEmpty()) {
          waitForShard(now);
          break;
        }
        waitingSince = NONE;
        inFlight++;
        started.add(new InFlight(takeBatch(), shard.getAsInt()));
      }
    }
    started.forEach(f -> workers.execute(() -> attempt(f)));
  }

  /**
   * No shard is writable: wait for one. A batch that will have waited longer than {@code
   * growAfterWait} by then is contention, and grows the shard count (new shards are writable at
   * once).
   */
  private void waitForShard(long now) {
    if (waitingSince == NONE) {
      waitingSince = now;
    }
    Optional<Duration> untilWritable = planner.untilWritable();
    long expectedWait = now - waitingSince + untilWritable.map(Duration::toNanos).orElse(0L);
    if (expectedWait >= options.growAfterWait().toNanos()) {
      grow();
    }
    // With every shard in flight the next release schedules the drain; either way, wake up in
    // time to answer items whose budget runs out first.
    long earliestDeadline = pending.stream().mapToLong(p -> p.deadline).min().orElseThrow();
    Duration untilExpiry = Duration.ofNanos(Math.max(0, earliestDeadline - now) + 1);
    Duration wait = untilWritable.map(d -> d.isZero() ? Duration.ofMillis(1) : d).orElse(untilExpiry);
    scheduleDrain(wait.compareTo(untilExpiry) < 0 ? wait : untilExpiry);
  }

  private List<Pending<T, R>> takeBatch() {
    List<Pending<T, R>> batch = new ArrayList<>();
    if (pending.peekFirst().solo) {
      batch.add(pending.pollFirst());
      return batch;
    }
    while (!pending.isEmpty() && batch.size() < options.maxBatch() && !pending.peekFirst().solo) {
      batch.add(pending.pollFirst());
    }
    return batch;
  }

  private void expire(long now) {
    pending.removeIf(
        p -> {
          if (now < p.deadline) {
            return false;
          }
          p.future.completeExceptionally(unavailable("no shard of '" + owner + "' could take the write", null));
          return true;
        });
  }

  private void attempt(InFlight f) {
    List<R> results;
    try {
      results = writer.write(new Flush<>(f.id, f.shard, f.items(), f.outcomeUnknown));
    } catch (WriteFailure e) {
      onFailure(f, e);
      return;
    } catch (RuntimeException e) {
      // An unexpected failure may have happened after the commit was sent.
      onFailure(f, new WriteFailure(WriteFailure.Kind.OUTCOME_UNKNOWN, e.toString(), e));
      return;
    }
    for (int i = 0; i < f.batch.size(); i++) {
      f.batch.get(i).future.complete(results.get(i));
    }
    finish(f, Duration.ZERO);
  }

  private void onFailure(InFlight f, WriteFailure e) {
    switch (e.kind()) {
      case OUTCOME_UNKNOWN -> {
        f.outcomeUnknown = true;
        retryOnSameShard(f, e);
      }
      case NOT_APPLIED -> {
        if (f.outcomeUnknown) {
          retryOnSameShard(f, e); // an earlier attempt may have landed here: stay and check
        } else {
          synchronized (this) {
            f.batch.forEach(p -> p.retries++);
            requeue(f.batch);
            grow();
          }
          finish(f, options.retry().backoff(f.batch.get(0).retries, ThreadLocalRandom.current()));
        }
      }
      case PERMANENT -> {
        if (f.batch.size() > 1) {
          // One bad item must not fail its neighbours: write each on its own to find it.
          synchronized (this) {
            f.batch.forEach(p -> p.solo = true);
            requeue(f.batch);
          }
        } else {
          RuntimeException error =
              e.getCause() instanceof InvalidInputException refused
                  ? refused
                  : new IllegalStateException("write of '" + owner + "' failed: " + e.getMessage(), e);
          f.batch.forEach(p -> p.future.completeExceptionally(error));
        }
        finish(f, Duration.ZERO);
      }
    }
  }

  private void retryOnSameShard(InFlight f, WriteFailure e) {
    f.retries++;
    Duration pause = options.retry().backoff(f.retries, ThreadLocalRandom.current());
    if (nanoTime.getAsLong() + pause.toNanos() > f.deadline()) {
      UnavailableException error = unavailable("writing '" + owner + "' kept failing (" + e.getMessage() + ")", e);
      f.batch.forEach(p -> p.future.completeExceptionally(error));
      finish(f, Duration.ZERO);
      return;
    }
    LOG.log(Level.FINE, "retrying flush {0} of {1} on shard {2}: {3}", new Object[] {f.id, owner, f.shard, e.getMessage()});
    scheduler.schedule(() -> workers.execute(() -> attempt(f)), pause.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Puts items that certainly were not written back at the head of the queue, in order. */
  private void requeue(List<Pending<T, R>> items) {
    for (int i = items.size() - 1; i >= 0; i--) {
      pending.addFirst(items.get(i));
    }
  }

  /**
   * A flush is over (written, requeued or given up): its shard and in-flight slot are free. The
   * next drain waits at least one window, so the callers just answered can join the next batch.
   */
  private void finish(InFlight f, Duration atLeast) {
    planner.release(f.shard);
    synchronized (this) {
      inFlight--;
      scheduleNextDrain(atLeast.compareTo(options.window()) > 0 ? atLeast : options.window());
    }
  }

  private synchronized void scheduleNextDrain(Duration atLeast) {
    if (pending.isEmpty()) {
      return;
    }
    planner.untilWritable().ifPresent(d -> scheduleDrain(d.compareTo(atLeast) > 0 ? d : atLeast));
  }

  /** Doubles the shard count in the background, unless a growth is running or too recent. */
  private synchronized void grow() {
    if (growing) {
      return;
    }
    OptionalInt target = planner.growthTarget();
    if (target.isEmpty()) {
      return;
    }
    growing = true;
    workers.execute(
        () -> {
          try {
            int stored = growth.applyAsInt(target.getAsInt());
            planner.adopt(stored);
            LOG.info("'" + owner + "' now has " + stored + " shards");
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not grow the shards of '" + owner + "'", e);
          } finally {
            synchronized (this) {
              growing = false;
              scheduleNextDrain(Duration.ZERO);
            }
          }
        });
  }

  private UnavailableException unavailable(String why, Throwable cause) {
    return new UnavailableException(
        why + " within the retry budget of " + options.retry().budget().toMillis() + " ms; retry later",
        retryAfter,
        cause);
  }

  private static final class Pending<T, R> {
    final T item;
    final long deadline;
    final CompletableFuture<R> future = new CompletableFuture<>();
    int retries;
    boolean solo;

    Pending(T item, long deadline) {
      this.item = item;
      this.deadline = deadline;
    }
  }

  private final class InFlight {
    final List<Pending<T, R>> batch;
    final int shard;
    final String id = UUID.randomUUID().toString();
    boolean outcomeUnknown;
    int retries;

    InFlight(List<Pending<T, R>> batch, int shard) {
      this.batch = batch;
      this.shard = shard;
    }

    List<T> items() {
      return batch.stream().map(p -> p.item).toList();
    }

    long deadline() {
      return batch.stream().mapToLong(p -> p.deadline).min().orElseThrow();
    }
  }
}
