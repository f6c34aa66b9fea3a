package dev.hotpath.local.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closed-loop load: each client sends one request, waits for its answer, and sends the next, until
 * the duration is over. Requests already sent then finish, so every answer is counted.
 */
final class ClosedLoopLoad {

  /** Sends one request; true if it was acknowledged, false if answered with an error. */
  @FunctionalInterface
  interface Request {
    boolean send() throws Exception;
  }

  /**
   * Sends one request for client {@code client} (0 to clients - 1); a thrown exception is a
   * failure.
   */
  @FunctionalInterface
  interface ClientRequest {
    LoadOutcome send(int client) throws Exception;
  }

  static LoadResult run(int clients, Duration duration, Request request) throws Exception {
    return run(
        clients,
        duration,
        client -> request.send() ? LoadOutcome.ACKNOWLEDGED : LoadOutcome.FAILED);
  }

  static LoadResult run(int clients, Duration duration, ClientRequest request) throws Exception {
    LoadTally tally = new LoadTally();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    try (LoadProgress progress = LoadProgress.start(tally::acknowledgedSoFar)) {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(
            pool.submit(
                () -> {
                  LoadTally.Samples mine = tally.samples();
                  while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    LoadOutcome outcome;
                    try {
                      outcome = request.send(client);
                    } catch (Exception e) {
                      tally.noAnswer(e);
                      outcome = LoadOutcome.FAILED;
                    }
                    mine.record(outcome, System.nanoTime() - sent);
                  }
                  mine.finish();
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return tally.result((System.nanoTime() - start) / 1e9, true);
  }

  private ClosedLoopLoad() {}
}
