package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.functions.TurnWatchdog;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.FunctionServer;
import dev.hotpath.local.stack.StartupException;
import dev.hotpath.testsupport.turn.ThrowawayKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watchdog function over HTTP, served by the Functions Framework invoker, state in the
 * emulator. The target is a closed loopback port and its SSH endpoint too, so a round detects the
 * outage, tries the restart, and records the refused connection: no coturn or sshd needed here (the
 * shared module's system tests cover those).
 */
class TurnWatchdogHttpTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(
          b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  private static Map<String, String> env() throws Exception {
    Map<String, String> env = turnEnv();
    env.put("DATASTORE_EMULATOR_HOST", datastore.host());
    env.put("GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT);
    return env;
  }

  /** TURN settings for one target "turn-1" whose probe port and SSH port are closed. */
  static Map<String, String> turnEnv() throws Exception {
    int closed = FunctionServer.freePort(); // nothing listens there once it is returned
    String pem = ThrowawayKey.rsaPem();
    Map<String, String> env = new HashMap<>();
    env.put(
        "TURN_TARGETS",
        "[{\"name\":\"turn-1\",\"host\":\"127.0.0.1\",\"port\":"
            + closed
            + ",\"probes\":[\"tcp\"],"
            + "\"ssh\":{\"port\":"
            + closed
            + ",\"user\":\"ops\",\"hostKeyFingerprint\":\"SHA256:"
            + "A".repeat(43)
            + "\"}}]");
    env.put("TURN_SSH_PRIVATE_KEY", pem);
    env.put("TURN_DOWN_THRESHOLD", "1");
    env.put("TURN_PROBE_ATTEMPTS", "2");
    env.put("TURN_PROBE_SPACING_MS", "10");
    env.put("TURN_PROBE_TIMEOUT_MS", "500");
    return env;
  }

  @Test
  void postRunsARoundAndGetShowsStateAndIncidents() throws Exception {
    try (FunctionServer server = FunctionServer.start(TurnWatchdog.class, 0, env())) {
      HttpJson http = new HttpJson(server.url());
      HttpJson.Reply round = http.post("/", null, "");
      assertEquals(200, round.status(), round.body().toString());
      JsonObject target = round.body().getAsJsonArray("targets").get(0).getAsJsonObject();
      assertEquals("turn-1", target.get("name").getAsString());
      assertFalse(target.get("healthy").getAsBoolean());
      assertEquals("RESTARTED", target.get("action").getAsString());
      assertEquals(
          "tcp",
          target.getAsJsonArray("probes").get(0).getAsJsonObject().get("probe").getAsString());
      JsonObject incident = target.getAsJsonObject("incident");
      assertEquals("STILL_DOWN", incident.get("outcome").getAsString());
      assertEquals(
          "CONNECT_FAILED", incident.getAsJsonObject("restart").get("status").getAsString());

      HttpJson.Reply status = http.get("/");
      assertEquals(200, status.status());
      JsonObject state = status.body().getAsJsonArray("targets").get(0).getAsJsonObject();
      assertEquals("DOWN", state.get("status").getAsString());
      assertEquals(1, state.getAsJsonArray("incidents").size());
      assertEquals(1, state.getAsJsonArray("recentRestarts").size());

      assertEquals(200, http.post("/", "{}").status(), "a scheduler's empty JSON object is fine");
    }
  }

  @Test
  void badRequestsGetTheJsonErrorShape() throws Exception {
    try (FunctionServer server = FunctionServer.start(TurnWatchdog.class, 0, env())) {
      HttpJson http = new HttpJson(server.url());
      assertError(http.send("PUT", "/"), 405, "METHOD_NOT_ALLOWED");
      assertError(http.get("/targets"), 404, "NOT_FOUND");
      assertError(http.get("/?verbose=1"), 400, "INVALID_ARGUMENT");
      assertError(http.post("/", "{\"force\":true}"), 400, "INVALID_ARGUMENT");
      assertError(http.post("/", "text/plain", "go"), 415, "UNSUPPORTED_MEDIA_TYPE");
    }
  }

  @Test
  void anInvalidConfigurationRefusesToStartNamingTheField() throws Exception {
    Map<String, String> env = env();
    env.put(
        "TURN_TARGETS",
        "[{\"name\":\"turn-1\",\"host\":\"127.0.0.1\",\"ssh\":{\"user\":\"ops\"}}]");
    StartupException refused =
        assertThrows(
            StartupException.class, () -> FunctionServer.start(TurnWatchdog.class, 0, env).close());
    assertTrue(
        refused.getMessage().contains("TURN_TARGETS[0].ssh.hostKeyFingerprint"),
        refused.getMessage());
    assertFalse(refused.getMessage().contains("PRIVATE KEY"));
  }

  private static void assertError(HttpJson.Reply reply, int code, String status) {
    assertEquals(code, reply.status(), reply.raw().body());
    JsonObject error = reply.body().getAsJsonObject("error");
    assertEquals(code, error.get("code").getAsInt());
    assertEquals(status, error.get("status").getAsString());
    assertFalse(error.get("message").getAsString().isEmpty());
  }

  @Test
  void oneSchedulerTickRunsOneRoundHoweverOftenItIsDelivered() throws Exception {
    try (FunctionServer server = FunctionServer.start(TurnWatchdog.class, 0, env())) {
      HttpJson http = new HttpJson(server.url());
      Map<String, String> tick =
          Map.of(
              "X-CloudScheduler-JobName",
              "projects/p/locations/r/jobs/turn-watchdog",
              "X-CloudScheduler-ScheduleTime",
              "2026-12-01T10:00:00.000Z");
      List<HttpJson.Reply> replies = new CopyOnWriteArrayList<>();
      Concurrently.run(3, thread -> replies.add(http.post("/", null, "", tick)));
      List<Integer> statuses = replies.stream().map(HttpJson.Reply::status).sorted().toList();
      assertTrue(
          statuses.get(0) == 200 && statuses.stream().allMatch(s -> s == 200 || s == 409),
          statuses.toString());
      HttpJson.Reply again = http.post("/", null, "", tick);
      assertEquals(200, again.status());
      HttpJson.Reply first =
          replies.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
      assertEquals(
          first.body().get("round"),
          again.body().get("round"),
          "a retry answers the first round's report");

      JsonObject state = http.get("/").body().getAsJsonArray("targets").get(0).getAsJsonObject();
      assertEquals(1, state.get("consecutiveDown").getAsInt(), "one observation for one tick");
      assertEquals(1, state.getAsJsonArray("incidents").size());

      Map<String, String> older =
          Map.of(
              "X-CloudScheduler-JobName",
              tick.get("X-CloudScheduler-JobName"),
              "X-CloudScheduler-ScheduleTime",
              "2026-12-01T09:59:00Z");
      HttpJson.Reply late = http.post("/", null, "", older);
      assertEquals(200, late.status());
      assertTrue(late.body().get("round").isJsonNull(), late.body().toString());

      Map<String, String> next =
          Map.of(
              "X-CloudScheduler-JobName",
              tick.get("X-CloudScheduler-JobName"),
              "X-CloudScheduler-ScheduleTime",
              "2026-12-01T10:01:00Z");
      HttpJson.Reply nextRound = http.post("/", null, "", next);
      assertEquals(200, nextRound.status());
      assertFalse(first.body().get("round").equals(nextRound.body().get("round")));

      HttpJson.Reply bad =
          http.post(
              "/",
              null,
              "",
              Map.of(
                  "X-CloudScheduler-JobName", "j", "X-CloudScheduler-ScheduleTime", "yesterday"));
      assertEquals(400, bad.status());
    }
  }
}
