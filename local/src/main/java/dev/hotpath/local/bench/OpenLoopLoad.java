package dev.hotpath.local.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: requests arrive at Poisson times at a given mean rate, whatever the answers take,
 * and a bounded pool of senders sends them. An arrival no sender can take on time — the hand-off
 * queue (as long as the pool is large) is full, or it waited longer than {@link #LATE_AFTER} — is
 * counted as late and not sent: the service was not offered it, and the table says so instead of
 * silently offering less. Latency counts from when a request was due, so waiting for a sender is
 * part of it (no coordinated omission).
 */
final class OpenLoopLoad {
  /**
   * How long an arrival may wait for a sender and still be sent. As long as the p99 target: a
   * request that could not even start within it fails the target anyway, and a shorter bound would
   * count a garbage-collection pause's arrivals as not offered.
   */
  static final Duration LATE_AFTER = Duration.ofSeconds(1);

  /** Sends arrival number {@code arrival} (0, 1, 2, …); a thrown exception is a failure. */
  @FunctionalInterface
  interface ArrivalRequest {
    LoadOutcome send(long arrival) throws Exception;
  }

  private record Arrival(long index, long dueNanos) {}

  private static final Arrival END = new Arrival(-1, 0);

  /**
   * Offers {@code perSecond} requests a second on average for {@code duration}, then waits for
   * those sent to be answered. Rates in the result are over {@code duration}, the window the
   * arrivals fell in.
   */
  static LoadResult run(
      double perSecond, Duration duration, int senders, long seed, ArrivalRequest request)
      throws Exception {
    LoadTally tally = new LoadTally();
    BlockingQueue<Arrival> due = new ArrayBlockingQueue<>(senders);
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    long lateNanos = LATE_AFTER.toNanos();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        done.add(
            pool.submit(
                () -> {
                  LoadTally.Samples mine = tally.samples();
                  for (Arrival a = due.take(); a != END; a = due.take()) {
                    if (System.nanoTime() - a.dueNanos > lateNanos) {
                      tally.late();
                      continue;
                    }
                    LoadOutcome outcome;
                    try {
                      outcome = request.send(a.index);
                    } catch (Exception e) {
                      tally.noAnswer(e);
                      outcome = LoadOutcome.FAILED;
                    }
                    mine.record(outcome, System.nanoTime() - a.dueNanos);
                  }
                  mine.finish();
                  return null;
                }));
      }
      // Progress counts from the first arrival: starting thousands of senders takes seconds on
      // two cores, and counted in, it showed the first lines of a phase as a stall that was not.
      try (LoadProgress progress = LoadProgress.start(tally::acknowledgedSoFar)) {
        PoissonArrivals gaps = new PoissonArrivals(perSecond, seed);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long index = 0;
        for (long next = start + gaps.nextGapNanos(); next < end; next += gaps.nextGapNanos()) {
          for (long wait = next - System.nanoTime(); wait > 0; wait = next - System.nanoTime()) {
            LockSupport.parkNanos(wait);
          }
          tally.offered();
          if (!due.offer(new Arrival(index++, next))) {
            tally.late();
          }
        }
        for (int s = 0; s < senders; s++) {
          due.put(END);
        }
        for (Future<?> f : done) {
          f.get();
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return tally.result(duration.toNanos() / 1e9, false);
  }

  private OpenLoopLoad() {}
}
