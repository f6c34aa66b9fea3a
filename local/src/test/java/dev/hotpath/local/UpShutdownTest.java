package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.functions.WriteApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what Ctrl+C's SIGINT also triggers) stops {@code up} gracefully under load: 16 clients
 * increment one counter as fast as they are answered, the process is sent SIGTERM mid-run, and
 * afterwards the counter on the data directory holds exactly the increments that were
 * acknowledged. A request cut off after its write committed would make it hold more (and a client
 * retrying on the connection error would count twice). On the way, its output from start to
 * banner fits one screen.
 */
class UpShutdownTest {
  private static final int CLIENTS = 16;
  private static final Pattern WRITE_API = Pattern.compile("Write API: (http://localhost:\\d+)");

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void sigtermUnderLoadAnswersEveryAppliedRequestSoStoredEqualsAcknowledged() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("up.log");
    Process up = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "up", "--data-dir", data.toString(),
            "--port", "0", "--datastore-port", "0", "--tasks-port", "0", "--worker-port", "0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      String api = awaitBanner(up, log);
      String started = Files.readString(log);
      long toBanner = started.lines().takeWhile(line -> !line.startsWith("Press Ctrl+C")).count() + 1;
      assertTrue(toBanner <= 25, "from start to banner fits one screen: " + toBanner + " lines\n" + started);
      AtomicLong acknowledged = new AtomicLong();
      Map<String, AtomicLong> otherOutcomes = new ConcurrentHashMap<>();
      CountDownLatch loaded = new CountDownLatch(200);
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        Thread client = new Thread(() -> incrementUntilRefused(api, acknowledged, otherOutcomes, loaded), "client-" + i);
        client.start();
        clients.add(client);
      }
      assertTrue(loaded.await(60, TimeUnit.SECONDS), "200 increments acknowledged before the SIGTERM");
      long signalled = System.nanoTime();
      up.destroy(); // SIGTERM
      assertTrue(up.waitFor(60, TimeUnit.SECONDS), "up exits after SIGTERM");
      Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);
      for (Thread client : clients) {
        client.join(Duration.ofSeconds(30).toMillis());
      }
      String output = Files.readString(log);
      assertTrue(output.contains("hotpath-local up: stopped"), "exit " + up.exitValue() + ", outcomes " + otherOutcomes + ", acknowledged " + acknowledged + ": " + output);
      assertTrue(stopping.compareTo(FunctionServer.GRACE.multipliedBy(2)) < 0, "stopped within the grace period: " + stopping);
      assertEquals(acknowledged.get(), stored(data, "load"),
          "stored = acknowledged; other outcomes: " + otherOutcomes + "\n" + output);
    } finally {
      up.destroyForcibly().waitFor();
    }
  }

  /**
   * Answers the Write API's URL once {@code up} has printed its banner to {@code log}. (Its output
   * goes to a file: a pipe read while the process exits can lose the last lines.)
   */
  private static String awaitBanner(Process up, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String output = Files.exists(log) ? Files.readString(log) : "";
      if (output.contains("Press Ctrl+C")) {
        Matcher url = WRITE_API.matcher(output);
        assertTrue(url.find(), output);
        return url.group(1);
      }
      if (up.waitFor(100, TimeUnit.MILLISECONDS)) { // a pause that ends early if up exits
        throw new AssertionError("up exited with " + up.exitValue() + ":\n" + output);
      }
    }
    throw new AssertionError("no banner within 120 s:\n" + Files.readString(log));
  }

  /**
   * Increments counter {@code load} until the server refuses: a 503 (shutting down) or a
   * connection error ends this client, as the server is going away.
   */
  private static void incrementUntilRefused(
      String api, AtomicLong acknowledged, Map<String, AtomicLong> others, CountDownLatch loaded) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest increment = HttpRequest.newBuilder(URI.create(api + "/v1/counters/load:increment"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"delta\": 1}")).build();
    while (true) {
      try {
        HttpResponse<String> response = client.send(increment, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          acknowledged.incrementAndGet();
          loaded.countDown();
          continue;
        }
        others.computeIfAbsent("HTTP " + response.statusCode(), k -> new AtomicLong()).incrementAndGet();
      } catch (IOException e) {
        others.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
  }

  /** Counter {@code name} as the Write API reads it from the Datastore emulator restarted on {@code data}. */
  private static long stored(Path data, String name) throws Exception {
    try (DatastoreEmulator emulator = DatastoreEmulator.builder().port(0).dataDir(data).build().start();
        FunctionServer api = FunctionServer.start(WriteApi.class, 0,
            Map.of("DATASTORE_EMULATOR_HOST", emulator.host(), "GOOGLE_CLOUD_PROJECT", "hotpath-local"))) {
      HttpJson.Reply counter = new HttpJson(api.url()).get("/v1/counters/" + name);
      assertEquals(200, counter.status(), counter.raw().body());
      return counter.body().get("value").getAsLong();
    }
  }
}
