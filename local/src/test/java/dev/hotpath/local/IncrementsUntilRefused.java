package dev.hotpath.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop clients, each on its own connection, incrementing one counter by 1 as fast as they
 * are answered, for shutdown tests: each client stops at the first answer other than 200 (a 503
 * from an instance shutting down) or connection error, as the server is going away, or after its
 * request in flight once told to {@link #stopSending} (as Cloud Run routes nothing to an instance
 * it has sent SIGTERM). What counts is {@link #acknowledged}: the increments answered 200 with the
 * increment's reply; a 200 without it ends the client as {@value #EMPTY_200}.
 */
final class IncrementsUntilRefused {
  /** The ending of a client answered 200 without the increment's reply: no acknowledgement. */
  static final String EMPTY_200 = "HTTP 200 without the increment's reply";

  private final AtomicLong acknowledged = new AtomicLong();
  private final Map<String, AtomicLong> endings = new ConcurrentHashMap<>();
  private final CountDownLatch firstAcknowledged;
  private final List<Thread> clients = new ArrayList<>();
  private volatile boolean stopSending;

  private IncrementsUntilRefused(int awaited) {
    this.firstAcknowledged = new CountDownLatch(awaited);
  }

  /** Starts {@code clients} clients incrementing {@code counter} at the Write API {@code api}. */
  static IncrementsUntilRefused start(String api, String counter, int clients, int awaited) {
    IncrementsUntilRefused load = new IncrementsUntilRefused(awaited);
    HttpRequest increment =
        HttpRequest.newBuilder(URI.create(api + "/v1/counters/" + counter + ":increment"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"delta\": 1}"))
            .build();
    for (int i = 0; i < clients; i++) {
      Thread client = new Thread(() -> load.incrementUntilRefused(increment), "increments-" + i);
      client.start();
      load.clients.add(client);
    }
    return load;
  }

  /** Waits until the first {@code awaited} increments (of {@link #start}) are acknowledged. */
  boolean awaitLoaded(Duration timeout) throws InterruptedException {
    return firstAcknowledged.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits for every client to have stopped. */
  void awaitStopped(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread client : clients) {
      client.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
  }

  /** From now on no client sends another request; those in flight still get their answers. */
  void stopSending() {
    stopSending = true;
  }

  long acknowledged() {
    return acknowledged.get();
  }

  /**
   * How the clients stopped — {@code HTTP 503}, {@code ConnectException}, {@code told to stop}, … —
   * with counts.
   */
  Map<String, AtomicLong> endings() {
    return endings;
  }

  private void incrementUntilRefused(HttpRequest increment) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    while (true) {
      if (stopSending) {
        endings.computeIfAbsent("told to stop", k -> new AtomicLong()).incrementAndGet();
        return;
      }
      try {
        HttpResponse<String> response =
            client.send(increment, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"delta\":1")) {
          acknowledged.incrementAndGet();
          firstAcknowledged.countDown();
          continue;
        }
        String ending = response.statusCode() == 200 ? EMPTY_200 : "HTTP " + response.statusCode();
        endings.computeIfAbsent(ending, k -> new AtomicLong()).incrementAndGet();
      } catch (IOException e) {
        endings
            .computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong())
            .incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
  }
}
