package dev.hotpath.local.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Prints a long load's progress to stderr every few seconds: elapsed time and acknowledged so far.
 */
final class LoadProgress implements AutoCloseable {
  static final Duration EVERY = Duration.ofSeconds(5);

  private final ScheduledExecutorService timer;

  private LoadProgress(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  static LoadProgress start(LongSupplier acknowledged) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-progress");
              t.setDaemon(true);
              return t;
            });
    long start = System.nanoTime();
    timer.scheduleAtFixedRate(
        () ->
            System.err.printf(
                "  %4d s: %,d acknowledged%n",
                (System.nanoTime() - start) / 1_000_000_000L, acknowledged.getAsLong()),
        EVERY.toMillis(),
        EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    return new LoadProgress(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
