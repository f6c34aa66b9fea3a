package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.flags.UsageException;
import dev.hotpath.local.stack.LocalStack;
import dev.hotpath.local.stack.TurnDemo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up}: flags, and the stack it starts — emulators, worker, Write API and, with targets, the
 * TURN watchdog, all served by the invoker.
 */
class UpCommandTest {
  private static final Pattern URL =
      Pattern.compile("(Datastore emulator|Write API|TURN watchdog): http://(localhost:\\d+)");
  private static final String[] FREE_PORTS = {
    "--port",
    "0",
    "--datastore-port",
    "0",
    "--tasks-port",
    "0",
    "--worker-port",
    "0",
    "--watchdog-port",
    "0",
    "--status-port",
    "0"
  };

  @Test
  void helpListsEveryFlag() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(
        0,
        Main.run(
            new String[] {"up", "--help"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err));
    for (String flag :
        List.of(
            "--port",
            "--datastore-port",
            "--tasks-port",
            "--worker-port",
            "--watchdog-port",
            "--status-port",
            "--watchdog-schedule",
            "--turn-targets",
            "--turn-ssh-key",
            "--turn-demo",
            "--project",
            "--production-limits",
            "--data-dir",
            "--datastore-backend",
            "--commit-latency-ms")) {
      assertTrue(out.toString(StandardCharsets.UTF_8).contains(flag), flag);
    }
  }

  @Test
  void badFlagsAreUsageErrors() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, Main.run(new String[] {"up", "--port", "70000"}, System.out, errStream));
    assertEquals(2, Main.run(new String[] {"up", "--faults", "x"}, System.out, errStream));
    assertEquals(2, Main.run(new String[] {"up", "extra"}, System.out, errStream));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(
        text.contains("must be a port")
            && text.contains("unknown flag --faults")
            && text.contains("unexpected argument"),
        text);
  }

  @Test
  void theStackServesTheWriteApiOnTheEmulatorWithTheGivenProjectAndStopsCleanly() throws Exception {
    Flags flags = flags("--project", "up-test", "--production-limits");
    String api;
    try (LocalStack stack =
        LocalStack.start(UpCommand.parts(flags), UpCommand.functionEnv(flags, Map.of()))) {
      String banner = String.join("\n", stack.banner());
      Map<String, String> urls = new HashMap<>();
      Matcher m = URL.matcher(banner);
      while (m.find()) {
        urls.put(m.group(1), m.group(2));
      }
      assertTrue(banner.contains("production limits"), banner);
      assertTrue(banner.contains("curl -X POST"), banner);
      assertTrue(banner.contains("TURN watchdog: off"), banner);
      api = "http://" + urls.get("Write API");
      HttpJson http = new HttpJson(api);
      assertEquals(200, http.post("/v1/counters/likes:increment", "{\"delta\": 3}").status());
      assertEquals(3, http.get("/v1/counters/likes").body().get("value").getAsLong());
      assertEquals(
          201, http.post("/v1/groups/u/entities/Message", "{\"properties\": {}}").status());

      // The status page's JSON shows what was written; anything but GET / and /status.json is
      // answered in the one error shape.
      // (The registry is the JVM's, shared with other tests: a name of this test's own.)
      assertEquals(200, http.post("/v1/counters/up-status-json:increment", "{}").status());
      HttpJson page = new HttpJson(statusPage(banner));
      JsonObject figures = page.get("/status.json").body();
      JsonObject counter = named(figures.getAsJsonArray("counters"), "up-status-json");
      assertEquals(1, counter.get("acknowledged").getAsLong(), figures.toString());
      assertEquals(1.0, counter.get("commitsPerIncrement").getAsDouble(), figures.toString());
      assertTrue(counter.get("shards").getAsInt() > 0, figures.toString());
      assertEquals(
          0,
          figures
              .getAsJsonObject("operations")
              .getAsJsonObject("byState")
              .get("PENDING")
              .getAsLong());
      HttpJson.Reply missing = page.get("/nope");
      assertEquals(404, missing.status());
      assertEquals(
          "NOT_FOUND", missing.body().getAsJsonObject("error").get("status").getAsString());
      HttpJson.Reply posted = page.post("/status.json", "{}");
      assertEquals(405, posted.status());
      assertEquals("GET", posted.header("Allow"));

      Datastore client =
          DatastoreOptions.newBuilder()
              .setHost(urls.get("Datastore emulator"))
              .setProjectId("up-test")
              .setCredentials(NoCredentials.getInstance())
              .build()
              .getService();
      assertNotNull(
          client.get(client.newKeyFactory().setKind("HotpathCounter").newKey("likes")),
          "written in project up-test");
    }
    assertThrows(
        ConnectException.class, () -> new HttpJson(api).get("/v1/counters/likes"), "stopped");
  }

  @Test
  void withTurnTargetsTheStackServesTheWatchdogOnItsSchedule(@TempDir Path dir) throws Exception {
    Map<String, String> turn = TurnWatchdogHttpTest.turnEnv();
    Files.writeString(dir.resolve("targets.json"), turn.remove("TURN_TARGETS"));
    Files.writeString(dir.resolve("key"), turn.remove("TURN_SSH_PRIVATE_KEY"));
    Flags flags =
        flags(
            "--turn-targets",
            dir.resolve("targets.json").toString(),
            "--turn-ssh-key",
            dir.resolve("key").toString(),
            "--watchdog-schedule",
            "*/5 * * * *");
    try (LocalStack stack =
        LocalStack.start(UpCommand.parts(flags), UpCommand.functionEnv(flags, turn))) {
      String banner = String.join("\n", stack.banner());
      Matcher m = URL.matcher(banner);
      String watchdog = null;
      while (m.find()) {
        if (m.group(1).equals("TURN watchdog")) {
          watchdog = "http://" + m.group(2);
        }
      }
      assertNotNull(watchdog, banner);
      assertTrue(banner.contains("scheduler: POST every '*/5 * * * *'"), banner);
      HttpJson http = new HttpJson(watchdog);
      assertEquals(200, http.post("/", null, "").status());
      HttpJson.Reply state = http.get("/");
      assertEquals(200, state.status());
      assertEquals(
          "turn-1",
          state
              .body()
              .getAsJsonArray("targets")
              .get(0)
              .getAsJsonObject()
              .get("name")
              .getAsString());
      // The status page shows the target as the watchdog answers it.
      JsonObject status = new HttpJson(statusPage(banner)).get("/status.json").body();
      JsonObject target =
          status.getAsJsonObject("turn").getAsJsonArray("targets").get(0).getAsJsonObject();
      assertEquals(
          "on", status.getAsJsonObject("turn").get("watchdog").getAsString(), status.toString());
      assertEquals("turn-1", target.get("name").getAsString(), status.toString());
      assertEquals(
          state.body().getAsJsonArray("targets").get(0).getAsJsonObject().get("status"),
          target.get("status"));
      assertTrue(target.has("lastIncident"), status.toString());
    }
  }

  private static JsonObject named(com.google.gson.JsonArray figures, String name) {
    for (var f : figures) {
      if (f.getAsJsonObject().get("name").getAsString().equals(name)) {
        return f.getAsJsonObject();
      }
    }
    throw new AssertionError(name + " missing from " + figures);
  }

  /** The status page's base URL in {@code banner}. */
  private static String statusPage(String banner) {
    Matcher m = Pattern.compile("Status page: (http://localhost:\\d+)").matcher(banner);
    assertTrue(m.find(), banner);
    return m.group(1);
  }

  /**
   * {@code up --turn-demo}: the README's kill -> restart -> RECOVERED cycle, run as written there
   * (freeze the demo coturn, POST a round). Needs coturn and sshd, like the shared module's system
   * tests: skipped without them unless HOTPATH_REQUIRE_SYSTEM_TESTS=true.
   */
  @Test
  void theTurnDemoIsWatchedAndHealedAfterAFreeze() throws Exception {
    assumeTheTurnDemoCanRun();
    Flags flags = flags("--turn-demo", "--watchdog-schedule", "0 0 1 1 *");
    Path files;
    try (LocalStack stack =
        LocalStack.start(UpCommand.parts(flags), UpCommand.functionEnv(flags, Map.of()))) {
      String banner = String.join("\n", stack.banner());
      Matcher filesIn = Pattern.compile("files in (\\S+)").matcher(banner);
      assertTrue(filesIn.find(), banner);
      files = Path.of(filesIn.group(1));
      assertTrue(Files.isDirectory(files), banner);
      Matcher url = Pattern.compile("TURN watchdog: (http://localhost:\\d+)").matcher(banner);
      assertTrue(url.find(), banner);
      Matcher freeze = Pattern.compile("kill -STOP \\$\\(cat (\\S+)\\)").matcher(banner);
      assertTrue(freeze.find(), banner);
      HttpJson http = new HttpJson(url.group(1));

      JsonObject healthy =
          http.post("/", null, "").body().getAsJsonArray("targets").get(0).getAsJsonObject();
      assertTrue(healthy.get("healthy").getAsBoolean(), healthy.toString());
      assertEquals(4, healthy.getAsJsonArray("probes").size(), "turn-relay-tcp among them");
      assertTrue(banner.contains("probes: stun-udp, turn-relay, turn-relay-tcp, stun-tls"), banner);
      assertTrue(banner.contains("1 round each (TURN_ROUNDS_PER_MINUTE=1)"), banner);

      String pid = Files.readString(Path.of(freeze.group(1))).trim();
      assertEquals(0, new ProcessBuilder("kill", "-STOP", pid).start().waitFor());
      JsonObject healed =
          http.post("/", null, "").body().getAsJsonArray("targets").get(0).getAsJsonObject();
      assertEquals("RESTARTED", healed.get("action").getAsString(), healed.toString());
      assertEquals(
          "RECOVERED",
          healed.getAsJsonObject("incident").get("outcome").getAsString(),
          healed.toString());
    }
    assertFalse(Files.exists(files), "the demo's keys outlive it in " + files);
  }

  /**
   * Skips a test of {@code --turn-demo} where coturn or sshd is missing, as the shared module's
   * system tests do, or fails it with HOTPATH_REQUIRE_SYSTEM_TESTS=true.
   */
  static void assumeTheTurnDemoCanRun() {
    List<String> missing = TurnDemo.missing();
    if ("true".equals(System.getenv("HOTPATH_REQUIRE_SYSTEM_TESTS"))) {
      assertEquals(List.of(), missing);
    }
    Assumptions.assumeTrue(missing.isEmpty(), "needs " + missing);
  }

  @Test
  void unreadableTurnFilesAndBadSchedulesAreUsageErrors() throws Exception {
    assertThrows(
        UsageException.class,
        () -> UpCommand.functionEnv(flags("--turn-targets", "/no/such/file"), Map.of()));
    assertThrows(
        UsageException.class, () -> UpCommand.parts(flags("--watchdog-schedule", "every minute")));
    UsageException backend =
        assertThrows(
            UsageException.class, () -> UpCommand.parts(flags("--datastore-backend", "mysql")));
    assertTrue(
        backend.getMessage().contains("hotpath, google-datastore or google-firestore"),
        backend.getMessage());
    UsageException oursOnly =
        assertThrows(
            UsageException.class,
            () ->
                UpCommand.parts(
                    flags("--datastore-backend", "google-datastore", "--production-limits")));
    assertTrue(
        oursOnly.getMessage().contains("--production-limits needs our emulator"),
        oursOnly.getMessage());
  }

  @Test
  void theStackRunsTheFunctionsOnGooglesDatastoreEmulator() throws Exception {
    if (DatastoreBackend.GOOGLE_DATASTORE.launcher(System.getenv()).isEmpty()) {
      String why =
          "Google's Datastore emulator is not installed at "
              + DatastoreBackend.GOOGLE_DATASTORE.whereLooked();
      assertNotEquals("true", System.getenv("HOTPATH_REQUIRE_SYSTEM_TESTS"), why);
      Assumptions.abort(why);
    }
    Flags flags = flags("--project", "up-google", "--datastore-backend", "google-datastore");
    try (LocalStack stack =
        LocalStack.start(UpCommand.parts(flags), UpCommand.functionEnv(flags, Map.of()))) {
      String banner = String.join("\n", stack.banner());
      assertTrue(banner.contains("Google's emulator (google-datastore)"), banner);
      Matcher m = URL.matcher(banner);
      String api = null;
      while (m.find()) {
        if (m.group(1).equals("Write API")) {
          api = "http://" + m.group(2);
        }
      }
      HttpJson http = new HttpJson(api);
      assertEquals(200, http.post("/v1/counters/likes:increment", "{\"delta\": 2}").status());
      assertEquals(2, http.get("/v1/counters/likes").body().get("value").getAsLong());
      assertEquals(
          201, http.post("/v1/groups/u/entities/Message", "{\"properties\": {}}").status());
    }
  }

  /** {@code up}'s flags with every port free, plus {@code extra}. */
  private static Flags flags(String... extra) throws UsageException {
    List<String> args = new ArrayList<>(List.of(FREE_PORTS));
    args.addAll(List.of(extra));
    return Flags.parse(args.toArray(String[]::new), UpCommand.VALUED, UpCommand.SWITCHES);
  }
}
