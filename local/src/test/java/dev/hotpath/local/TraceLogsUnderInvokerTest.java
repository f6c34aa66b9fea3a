package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.FunctionProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Under the real Functions Framework invoker with {@code K_SERVICE} set, as on Cloud Run, a request
 * with a {@code traceparent} that ends in 503 (Datastore unreachable: a closed loopback port, with
 * a short retry budget) writes exactly one WARNING record, in JSON, carrying the request's trace
 * and span and the 503's cause: what Logs Explorer and a log-based metric read.
 */
class TraceLogsUnderInvokerTest {
  private static final Path FUNCTIONS_JAR = Path.of("../functions/target/hotpath-functions.jar");
  private static final String PROJECT = "trace-logs-test";
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  @Test
  @Timeout(120)
  void a503LogsOneWarningUnderTheRequestsTrace() throws Exception {
    assertTrue(
        Files.exists(FUNCTIONS_JAR),
        FUNCTIONS_JAR + " is built by the functions module's package phase");
    Map<String, String> env =
        Map.of(
            "K_SERVICE", "write-api",
            "GOOGLE_CLOUD_PROJECT", PROJECT,
            "DATASTORE_EMULATOR_HOST", "127.0.0.1:" + closedPort(),
            "HOTPATH_RETRY_BUDGET_MS", "300",
            "HOTPATH_DATASTORE_TIMEOUT_MS", "1000");
    List<JsonObject> records;
    try (FunctionProcess function = FunctionProcess.start(WriteApi.class, FUNCTIONS_JAR, env)) {
      function.awaitListening(Duration.ofSeconds(60));
      HttpJson.Reply reply =
          new HttpJson(function.url())
              .withHeader("traceparent", "00-" + TRACE + "-" + SPAN + "-01")
              .post("/v1/counters/traced:increment", "{\"delta\":1}");
      assertEquals(503, reply.status(), reply.body().toString());
      records = jsonRecords(function.outputLines());
    }
    List<JsonObject> traced =
        records.stream().filter(r -> r.has("logging.googleapis.com/trace")).toList();
    List<JsonObject> failures =
        traced.stream()
            .filter(r -> List.of("WARNING", "ERROR").contains(r.get("severity").getAsString()))
            .toList();
    assertEquals(1, failures.size(), "one WARNING or ERROR record for the 503: " + records);
    JsonObject record = failures.get(0);
    assertEquals("WARNING", record.get("severity").getAsString());
    assertEquals(
        "projects/" + PROJECT + "/traces/" + TRACE,
        record.get("logging.googleapis.com/trace").getAsString());
    assertEquals(SPAN, record.get("logging.googleapis.com/spanId").getAsString());
    assertEquals("datastore_unavailable", record.get("cause").getAsString());
    assertEquals(503, record.get("status").getAsInt());
    assertTrue(
        record.get("message").getAsString().startsWith("POST /v1/counters/traced:increment"),
        record.toString());
    assertTrue(
        record.has("logging.googleapis.com/sourceLocation"),
        "the invoker's fields are kept: " + record);
    assertTrue(
        traced.stream()
            .allMatch(
                r ->
                    r.get("logging.googleapis.com/trace")
                        .equals(record.get("logging.googleapis.com/trace"))),
        "no other trace: " + traced);
  }

  /** The JSON lines of the function's output (the JVM may print a plain line or two). */
  private static List<JsonObject> jsonRecords(List<String> lines) {
    return lines.stream()
        .filter(line -> line.startsWith("{"))
        .map(line -> JsonParser.parseString(line).getAsJsonObject())
        .toList();
  }

  /** A loopback port nothing listens on: connecting to it is refused at once. */
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
