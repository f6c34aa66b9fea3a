package dev.hotpath.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.flags.UsageException;
import dev.hotpath.local.stack.FunctionServer;
import dev.hotpath.shared.config.Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bench counters --url} against a Write API this test runs, as {@code up} would: it starts
 * nothing of its own, and what the counter gained is what was acknowledged.
 */
class RunningWriteApiBenchTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  private static FunctionServer api;

  @BeforeAll
  static void startTheWriteApi() throws Exception {
    api =
        FunctionServer.start(
            WriteApi.class,
            0,
            Map.of(
                Settings.EMULATOR_HOST.name(),
                datastore.host(),
                Settings.PROJECT.name(),
                DatastoreEmulatorExtension.PROJECT));
  }

  @AfterAll
  static void stopTheWriteApi() throws Exception {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aClosedLoopOnACounterThatHeldAValueAcknowledgesWhatItGained() throws Exception {
    HttpJson http = new HttpJson(api.url());
    for (int i = 0; i < 5; i++) {
      assertEquals(200, http.post("/v1/counters/watched:increment", "{\"delta\": 1}").status());
    }

    String report =
        measure("--url", api.url(), "--counter", "watched", "--clients", "4", "--duration-s", "2");

    List<String> rows = report.lines().filter(l -> l.startsWith("| (url) ")).toList();
    assertEquals(1, rows.size(), report);
    List<String> cells = cells(rows.get(0));
    List<String> header = cells(report.lines().findFirst().orElseThrow());
    long acknowledged = Long.parseLong(cells.get(header.indexOf("acknowledged")));
    long stored = Long.parseLong(cells.get(header.indexOf("stored")));
    long shards = Long.parseLong(cells.get(header.indexOf("shards")));
    assertTrue(acknowledged > 0, report);
    assertEquals(acknowledged, stored, report);
    assertEquals("exact", cells.get(header.indexOf("check")), report);
    assertTrue(shards > 0, report);
    assertEquals("url", cells.get(header.indexOf("mode")), report);
    for (String unmeasured : List.of("calls/inc", "commits/inc", "CPU µs/inc", "aborted %")) {
      assertEquals("-", cells.get(header.indexOf(unmeasured)), unmeasured + " in " + report);
    }
    long value = http.get("/v1/counters/watched").body().get("value").getAsLong();
    assertEquals(5 + acknowledged, value, report);
    assertTrue(report.contains("value 5 before, " + value + " after"), report);
  }

  @Test
  void flagsForWhatItWouldStartAreRefusedByName() {
    for (String[] refused :
        List.of(
            new String[] {"--processes"},
            new String[] {"--direct"},
            new String[] {"--instances", "2"},
            new String[] {"--instances", "1,4"},
            new String[] {"--variants", "a,c"},
            new String[] {"--shards", "8"},
            new String[] {"--commit-latency-ms", "0"},
            new String[] {"--functions-jar", "x.jar"},
            new String[] {"--repeat", "3"},
            new String[] {"--cold"},
            new String[] {"--settle"})) {
      String[] args = concat(new String[] {"--url", "http://localhost:9"}, refused);
      UsageException e = assertThrows(UsageException.class, () -> measure(args), refused[0]);
      assertTrue(
          e.getMessage().startsWith(refused[0] + " does not apply with --url"), e.getMessage());
    }
  }

  @Test
  void onlyAPlainHttpUrlOfTheServiceItselfIsTaken() throws Exception {
    assertEquals("http://localhost:8080", RunningWriteApiBench.url("http://localhost:8080/"));
    assertEquals("http://example.com:80", RunningWriteApiBench.url("http://example.com"));
    for (String bad :
        List.of("https://localhost:8080", "localhost:8080", "http://localhost:8080/v1", "x y")) {
      assertThrows(UsageException.class, () -> RunningWriteApiBench.url(bad), bad);
    }
  }

  @Test
  void groupsAndACounterWithoutUrlAreUsageErrors() {
    assertThrows(
        UsageException.class,
        () ->
            WriteApiBench.measure(
                new String[] {"--url", api.url()},
                GroupsBenchmark.PER_GROUP,
                GroupsBenchmark.WORKLOAD));
    UsageException e =
        assertThrows(UsageException.class, () -> measure("--counter", "likes", "--variants", "c"));
    assertTrue(e.getMessage().contains("--counter"), e.getMessage());
  }

  @Test
  void aUrlWhereNothingAnswersSaysSoInOneLine() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    IOException e =
        assertThrows(IOException.class, () -> measure("--url", url, "--duration-s", "1"));
    assertTrue(e.getMessage().startsWith("--url " + url + " does not answer ("), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  private static String measure(String... args) throws Exception {
    return WriteApiBench.measure(args, CountersBenchmark.PER_ENTITY, CountersBenchmark.WORKLOAD);
  }

  private static List<String> cells(String row) {
    return Arrays.stream(row.split("\\|")).map(String::strip).skip(1).toList();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
