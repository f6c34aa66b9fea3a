package dev.hotpath.shared.groupcommit;

import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time that moves only when a test runs the next scheduled task: the clock, scheduler and workers a
 * {@link GroupCommitter} runs on, all on the test's thread. Windows, pacing, shard cooling, backoff
 * and retry budgets then take no real time, and every run takes the same steps.
 */
final class VirtualTime {
  private final PriorityQueue<Task<?>> due = new PriorityQueue<>();
  private long now = Duration.ofDays(1).toNanos();
  private long sequence;

  /** The clock: what {@link System#nanoTime} is to production. */
  long nanoTime() {
    return now;
  }

  /** How much virtual time has passed since {@code start}, a reading of {@link #nanoTime()}. */
  Duration since(long start) {
    return Duration.ofNanos(now - start);
  }

  /** Runs work at once, on the caller's thread. */
  Executor workers() {
    return Runnable::run;
  }

  /** Queues work for its due time; {@link #runUntil} runs it. */
  ScheduledExecutorService scheduler() {
    return new Scheduler();
  }

  /**
   * Runs the scheduled tasks in due order, moving the clock to each, until {@code future} is done;
   * an AssertionError if nothing is left to run first.
   */
  <V> Future<V> runUntil(Future<V> future) {
    while (!future.isDone()) {
      Task<?> next = due.poll();
      if (next == null) {
        throw new AssertionError("nothing is scheduled, and the future is not done");
      }
      now = Math.max(now, next.at);
      next.run();
      try {
        next.get();
      } catch (ExecutionException e) {
        throw new AssertionError("a scheduled task failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return future;
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long at;
    final long order = sequence++;

    Task(Callable<V> work, long at) {
      super(work);
      this.at = at;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - now, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> that = (Task<?>) other;
      return at != that.at ? Long.compare(at, that.at) : Long.compare(order, that.order);
    }
  }

  /** Only the one-shot scheduling group commit uses; the rest is refused. */
  private final class Scheduler extends AbstractExecutorService
      implements ScheduledExecutorService {
    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> work, long delay, TimeUnit unit) {
      Task<V> task = new Task<>(work, now + unit.toNanos(Math.max(0, delay)));
      due.add(task);
      return task;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable work, long delay, TimeUnit unit) {
      return schedule(
          () -> {
            work.run();
            return null;
          },
          delay,
          unit);
    }

    @Override
    public void execute(Runnable work) {
      schedule(work, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable work, long initialDelay, long period, TimeUnit unit) {
      throw new UnsupportedOperationException("group commit schedules one-shot tasks only");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable work, long initialDelay, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException("group commit schedules one-shot tasks only");
    }

    @Override
    public void shutdown() {
      throw new UnsupportedOperationException("virtual time has nothing to shut down");
    }

    @Override
    public List<Runnable> shutdownNow() {
      throw new UnsupportedOperationException("virtual time has nothing to shut down");
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("virtual time has nothing to shut down");
    }
  }
}
