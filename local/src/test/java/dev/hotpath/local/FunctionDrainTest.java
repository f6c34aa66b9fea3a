package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.FunctionProcess;
import dev.hotpath.local.stack.FunctionServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deployed function shuts down gracefully on its own, as Cloud Run needs: the Write API from
 * the deployable jar in the Functions Framework invoker's own process (whose Jetty has no graceful
 * stop), sent SIGTERM under 16 clients' increments, answers every request in flight — none is cut —
 * and the counter holds exactly the acknowledged increments, through {@code FunctionBoundary}'s
 * drain.
 */
class FunctionDrainTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  private static final Path FUNCTIONS_JAR = Path.of("../functions/target/hotpath-functions.jar");

  @Test
  @Timeout(120)
  void sigtermUnderLoadStoresExactlyWhatWasAcknowledged() throws Exception {
    assertTrue(
        Files.exists(FUNCTIONS_JAR),
        FUNCTIONS_JAR + " is built by the functions module's package phase");
    Map<String, String> env = WriteApiExtension.env(datastore, Map.of());
    FunctionProcess function = FunctionProcess.start(WriteApi.class, FUNCTIONS_JAR, env);
    IncrementsUntilRefused load;
    try {
      function.awaitListening(Duration.ofSeconds(60));
      load = IncrementsUntilRefused.start(function.url(), "drained", 16, 200);
      assertTrue(
          load.awaitLoaded(Duration.ofSeconds(60)),
          "200 increments acknowledged before the SIGTERM");
      load.stopSending(); // as Cloud Run routes nothing new to an instance it sends SIGTERM
    } finally {
      function.close(); // SIGTERM, then waits for the process to exit
    }
    load.awaitStopped(Duration.ofSeconds(30));
    // Requests are always in flight (a batch waits up to 250 ms for the flush interval): each is
    // answered — 200, or 503 if it reached the function after the SIGTERM. Without the drain the
    // JVM exits under them and they end in an IOException.
    assertTrue(
        Set.of("told to stop", "HTTP 503").containsAll(load.endings().keySet()),
        "no request cut: " + load.endings());
    try (FunctionServer api = FunctionServer.start(WriteApi.class, 0, env)) {
      HttpJson.Reply counter = new HttpJson(api.url()).get("/v1/counters/drained");
      assertEquals(
          load.acknowledged(),
          counter.body().get("value").getAsLong(),
          "stored = acknowledged; clients ended by " + load.endings());
    }
  }
}
