package dev.hotpath.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: each client sends one request, waits for its answer, and sends the next,
 * until the duration is over. Requests already sent then finish, so every answer is counted.
 */
final class ClosedLoopLoad {

  /** Sends one request; true if it was acknowledged, false if answered with an error. */
  @FunctionalInterface
  interface Request {
    boolean send() throws Exception;
  }

  /** What the clients saw: acknowledged and failed requests, elapsed time, acknowledged latency. */
  record Result(long acknowledged, long errors, double seconds, Percentiles latency) {
    double perSecond() {
      return acknowledged / seconds;
    }

    double errorRate() {
      long total = acknowledged + errors;
      return total == 0 ? 0 : (double) errors / total;
    }
  }

  static Result run(int clients, Duration duration, Request request) throws Exception {
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Future<long[]>> done = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      done.add(
          pool.submit(
              () -> {
                long[] mine = new long[1024];
                int n = 0;
                while (System.nanoTime() < end) {
                  long sent = System.nanoTime();
                  boolean ok;
                  try {
                    ok = request.send();
                  } catch (Exception e) {
                    ok = false;
                  }
                  if (ok) {
                    acknowledged.incrementAndGet();
                    if (n == mine.length) {
                      mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = System.nanoTime() - sent;
                  } else {
                    errors.incrementAndGet();
                  }
                }
                return Arrays.copyOf(mine, n);
              }));
    }
    for (Future<long[]> f : done) {
      latencies.add(f.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
    return new Result(acknowledged.get(), errors.get(), seconds, new Percentiles(all));
  }

  private ClosedLoopLoad() {}
}
