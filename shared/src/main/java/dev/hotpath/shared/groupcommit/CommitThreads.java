package dev.hotpath.shared.groupcommit;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads group commit runs on: one scheduler for windows and backoffs (never blocks) and a
 * pool of daemon workers for the blocking Datastore calls.
 */
public final class CommitThreads implements AutoCloseable {
  private final ScheduledExecutorService scheduler;
  private final ExecutorService workers;

  public CommitThreads(String name) {
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemon(name + "-scheduler"));
    this.workers = Executors.newCachedThreadPool(daemon(name + "-worker"));
  }

  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  public ExecutorService workers() {
    return workers;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    workers.shutdownNow();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + next.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
