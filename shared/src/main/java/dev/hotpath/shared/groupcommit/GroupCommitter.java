package dev.hotpath.shared.groupcommit;

import dev.hotpath.shared.config.CommitOptions;
import dev.hotpath.shared.datastore.WriteFailure;
import dev.hotpath.shared.metrics.Event;
import dev.hotpath.shared.metrics.Family;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.NameStats;
import dev.hotpath.shared.sharding.ShardPlanner;
import dev.hotpath.shared.validation.InvalidInputException;
import dev.hotpath.shared.validation.UnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
 * Group commit for one counter or group in this instance: items submitted close together are merged
 * into one batch, written in one commit on one shard, and every submitter is answered only once
 * that commit is known to have landed.
 *
 * <p>Retries: a batch that certainly was not applied (contention) goes back to the queue and is
 * written on another shard, merged with newer items; a batch whose outcome is unknown is retried on
 * the same shard under the same flush id, which the {@link BatchWriter} uses to apply it at most
 * once. A submitter whose item could not be written within the retry budget gets {@link
 * UnavailableException}.
 *
 * <p>Pacing: a batch of at least the eager size goes as soon as a shard allows; a smaller one waits
 * until one flush interval after this instance's previous flush of the owner (after a short burst),
 * so the owner's commits per second follow the load and the latency budget, not the shard count.
 * Contention stretches the interval (doubling, up to {@link CommitOptions#MAX_INTERVAL_FACTOR}
 * times) and successes shrink it back. Which shard a flush takes, and when the shard count grows
 * (persisted through {@code growth}), is the {@link ShardPlanner}'s rule.
 */
public final class GroupCommitter<T, R> {
  private static final Logger LOG = Logger.getLogger(GroupCommitter.class.getName());

  /** Flushes let through at once after a quiet spell, before pacing applies. */
  static final int FLUSH_BURST = 4;

  private final String owner;
  private final BatchWriter<T, R> writer;
  private final ShardPlanner planner;
  private final IntUnaryOperator growth;
  private final CommitOptions options;
  private final Duration retryAfter;
  private final ScheduledExecutorService scheduler;
  private final Executor workers;
  private final LongSupplier nanoTime;
  private final Metrics metrics;
  private final NameStats stats;

  private final Deque<Pending<T, R>> pending = new ArrayDeque<>();
  private long drainAt = Long.MAX_VALUE;
  private boolean growing;
  private int inFlight;

  /** How many items the latest flush took. */
  private int lastBatch;

  /** The current flush interval: the configured one, stretched by contention. */
  private long paceNanos;

  /** Pacing as a virtual clock (GCRA): a flush may start once now >= this - (burst - 1) * pace. */
  private long pacedUntil = Long.MIN_VALUE / 2;

  private long lastActivity;

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
    this(
        owner,
        writer,
        planner,
        growth,
        options,
        retryAfter,
        scheduler,
        workers,
        nanoTime,
        new Metrics(Clock.systemUTC()),
        Family.COUNTER);
  }

  /**
   * @param metrics records this owner's commits, 503s, shard count, contention and flush latency
   * @param family whether {@code owner} is a counter or a group
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
      LongSupplier nanoTime,
      Metrics metrics,
      Family family) {
    this.owner = owner;
    this.writer = writer;
    this.planner = planner;
    this.growth = growth;
    this.options = options;
    this.retryAfter = retryAfter;
    this.scheduler = scheduler;
    this.workers = workers;
    this.nanoTime = nanoTime;
    this.paceNanos = options.flushInterval().toNanos();
    this.lastActivity = nanoTime.getAsLong();
    this.metrics = metrics;
    this.stats = metrics.name(family, owner);
    stats.shards(planner.count());
  }

  /** Queues {@code item}; the future completes once the write holding it has committed. */
  public CompletableFuture<R> submit(T item) {
    Pending<T, R> p =
        new Pending<>(item, nanoTime.getAsLong() + options.retry().budget().toNanos());
    synchronized (this) {
      lastActivity = nanoTime.getAsLong();
      pending.addLast(p);
      int size = pending.size();
      if (size >= options.maxBatch() || (size == options.eagerBatch() && inFlight > 0)) {
        // Worth a commit of its own while another write is in flight: it need not wait for that
        // one (which would make latency two commits and this instance's commit rate its own
        // count's, not the load's).
        scheduleDrain(Duration.ZERO);
      } else if (size == Math.max(options.eagerBatch(), lastBatch)) {
        // Worth a commit of its own and as full as the load has been making batches (callers
        // answered together come back together): the rest of the window would add latency and
        // hardly another item. Waiting it out cost a closed loop of 16 callers per instance 5 ms
        // a round, and 100 instances at 50 appends/s each their p99 target.
        scheduleDrain(Duration.ZERO);
      } else if (size == 1 || size == options.eagerBatch()) {
        // A new batch, or an eager one smaller than the last flush: gather for the window.
        scheduleDrain(options.window());
      }
    }
    return p.future;
  }

  /** The shard count this instance writes across. */
  public int shardCount() {
    return planner.count();
  }

  /** How long nothing was pending, in flight or growing (zero while something is). */
  public synchronized Duration idleFor(long now) {
    boolean busy = !pending.isEmpty() || inFlight > 0 || growing;
    return busy ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - lastActivity));
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
        long paced = flushAllowedAt() - now;
        boolean eager = pending.size() >= options.eagerBatch();
        if (paced > 0 && !eager) {
          wakeUpWithin(now, Duration.ofNanos(paced)); // let the batch fill until our turn
          break;
        }
        OptionalInt shard = planner.lease();
        grow(shard.isEmpty() && eager);
        if (shard.isEmpty()) {
          // With every shard in flight the next release schedules the drain.
          wakeUpWithin(
              now,
              planner.untilWritable().map(d -> d.isZero() ? Duration.ofMillis(1) : d).orElse(null));
          break;
        }
        inFlight++;
        if (paced <= 0) {
          pacedUntil = Math.max(pacedUntil, now) + paceNanos;
        } else {
          // An eager batch going before its turn spends the burst and makes the next small batch
          // wait one interval from now (else that one, its turn come, went with a few items right
          // after); it does not push later flushes further out than that, as charging it would.
          pacedUntil = Math.max(pacedUntil, now + FLUSH_BURST * paceNanos);
        }
        List<Pending<T, R>> batch = takeBatch();
        lastBatch = batch.size();
        started.add(new InFlight(batch, shard.getAsInt()));
      }
    }
    started.forEach(f -> workers.execute(() -> attempt(f)));
  }

  /** When pacing lets the next flush start. */
  private long flushAllowedAt() {
    return pacedUntil - (FLUSH_BURST - 1) * paceNanos;
  }

  /**
   * Schedules a drain after {@code wait} (null: only when a release does), and in any case in time
   * to answer the items whose budget runs out first.
   */
  private void wakeUpWithin(long now, Duration wait) {
    long earliestDeadline = pending.stream().mapToLong(p -> p.deadline).min().orElseThrow();
    Duration untilExpiry = Duration.ofNanos(Math.max(0, earliestDeadline - now) + 1);
    scheduleDrain(wait != null && wait.compareTo(untilExpiry) < 0 ? wait : untilExpiry);
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
          p.future.completeExceptionally(
              unavailable("no shard of '" + owner + "' could take the write", null));
          stats.unavailable(1);
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
    } catch (Error e) {
      giveUp(f, new IllegalStateException("write of '" + owner + "' failed: " + e, e));
      throw e;
    }
    if (results.size() != f.batch.size()) {
      giveUp(
          f,
          new IllegalStateException(
              "the writer of '"
                  + owner
                  + "' answered "
                  + results.size()
                  + " results for "
                  + f.batch.size()
                  + " items"));
      return;
    }
    // Free the shard first, so that a caller who reacts to its answer finds this owner idle.
    finish(f, ShardPlanner.Outcome.WRITTEN, Duration.ZERO);
    stats.committed(f.batch.size(), metrics.nowMillis());
    metrics.flushed(nanoTime.getAsLong() - f.started);
    for (int i = 0; i < f.batch.size(); i++) {
      f.batch.get(i).future.complete(results.get(i));
    }
  }

  /** Fails every item of the flush and frees its shard: nothing more can be learnt by retrying. */
  private void giveUp(InFlight f, RuntimeException error) {
    LOG.log(Level.SEVERE, error.getMessage(), error);
    finish(f, ShardPlanner.Outcome.FAILED, Duration.ZERO);
    f.batch.forEach(p -> p.future.completeExceptionally(error));
  }

  private void onFailure(InFlight f, WriteFailure e) {
    if (e.kind() == WriteFailure.Kind.CONTENDED) {
      metrics.count(Event.CONTENTION_ABORTS);
    }
    switch (e.kind()) {
      case OUTCOME_UNKNOWN -> {
        f.outcomeUnknown = true;
        retryOnSameShard(f, e);
      }
      case CONTENDED, HELD_ELSEWHERE, NOT_APPLIED -> {
        if (f.outcomeUnknown) {
          retryOnSameShard(f, e); // an earlier attempt may have landed here: stay and check
        } else if (e.kind() == WriteFailure.Kind.HELD_ELSEWHERE) {
          // Nothing was written and no one was contended: another shard, now, same items.
          synchronized (this) {
            requeue(f.batch);
          }
          finish(f, ShardPlanner.Outcome.HELD_ELSEWHERE, Duration.ZERO);
        } else {
          synchronized (this) {
            f.batch.forEach(p -> p.retries++);
            requeue(f.batch);
          }
          boolean contended = e.kind() == WriteFailure.Kind.CONTENDED;
          finish(
              f,
              contended ? ShardPlanner.Outcome.CONTENDED : ShardPlanner.Outcome.FAILED,
              options.retry().backoff(f.batch.get(0).retries, ThreadLocalRandom.current()));
        }
      }
      case PERMANENT -> {
        if (f.batch.size() > 1) {
          // One bad item must not fail its neighbours: write each on its own to find it.
          synchronized (this) {
            f.batch.forEach(p -> p.solo = true);
            requeue(f.batch);
          }
          finish(f, ShardPlanner.Outcome.FAILED, Duration.ZERO);
        } else {
          RuntimeException error =
              e.getCause() instanceof InvalidInputException refused
                  ? refused
                  : new IllegalStateException(
                      "write of '" + owner + "' failed: " + e.getMessage(), e);
          finish(f, ShardPlanner.Outcome.FAILED, Duration.ZERO);
          f.batch.forEach(p -> p.future.completeExceptionally(error));
        }
      }
    }
  }

  private void retryOnSameShard(InFlight f, WriteFailure e) {
    f.retries++;
    Duration pause = options.retry().backoff(f.retries, ThreadLocalRandom.current());
    if (nanoTime.getAsLong() + pause.toNanos() > f.deadline()) {
      UnavailableException error =
          unavailable("writing '" + owner + "' kept failing (" + e.getMessage() + ")", e);
      finish(f, ShardPlanner.Outcome.FAILED, Duration.ZERO);
      stats.unavailable(f.batch.size());
      f.batch.forEach(p -> p.future.completeExceptionally(error));
      return;
    }
    LOG.log(
        Level.FINE,
        "retrying flush {0} of {1} on shard {2}: {3}",
        new Object[] {f.id, owner, f.shard, e.getMessage()});
    scheduler.schedule(
        () -> workers.execute(() -> attempt(f)), pause.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Puts items that certainly were not written back at the head of the queue, in order. */
  private void requeue(List<Pending<T, R>> items) {
    for (int i = items.size() - 1; i >= 0; i--) {
      pending.addFirst(items.get(i));
    }
  }

  /**
   * A flush is over (written, requeued or given up): its shard and in-flight slot are free, and the
   * pace follows the outcome. The next drain waits at least one window, so the callers just
   * answered can join the next batch.
   */
  private void finish(InFlight f, ShardPlanner.Outcome outcome, Duration atLeast) {
    planner.release(f.shard, outcome);
    synchronized (this) {
      inFlight--;
      lastActivity = nanoTime.getAsLong();
      long base = options.flushInterval().toNanos();
      paceNanos =
          switch (outcome) {
            case CONTENDED -> Math.min(base * CommitOptions.MAX_INTERVAL_FACTOR, paceNanos * 2);
            case WRITTEN -> Math.max(base, paceNanos - paceNanos / 4);
            // Skipping a shard another instance holds cost one read and slowed no one.
            case HELD_ELSEWHERE, FAILED -> paceNanos;
          };
      if (outcome == ShardPlanner.Outcome.CONTENDED
          || outcome == ShardPlanner.Outcome.HELD_ELSEWHERE) {
        grow(false);
      }
      scheduleNextDrain(atLeast.compareTo(options.window()) > 0 ? atLeast : options.window());
    }
  }

  private synchronized void scheduleNextDrain(Duration atLeast) {
    if (pending.isEmpty()) {
      return;
    }
    long paced =
        pending.size() >= options.eagerBatch() ? 0 : flushAllowedAt() - nanoTime.getAsLong();
    Duration floor = paced > atLeast.toNanos() ? Duration.ofNanos(paced) : atLeast;
    planner.untilWritable().ifPresent(d -> scheduleDrain(d.compareTo(floor) > 0 ? d : floor));
  }

  /**
   * Doubles the shard count in the background when the planner's growth rule holds.
   *
   * @param saturated a batch worth a commit of its own found no writable shard
   */
  private synchronized void grow(boolean saturated) {
    if (growing) {
      return;
    }
    OptionalInt target = planner.growthTarget(saturated);
    if (target.isEmpty()) {
      return;
    }
    growing = true;
    workers.execute(
        () -> {
          try {
            int stored = growth.applyAsInt(target.getAsInt());
            planner.adopt(stored);
            stats.shards(planner.count());
            metrics.count(Event.SHARD_GROWTHS);
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
        why
            + " within the retry budget of "
            + options.retry().budget().toMillis()
            + " ms; retry later",
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
    final long started = nanoTime.getAsLong();
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
