package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Entity;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.engine.Faults;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.shared.operations.EntityCounters;
import dev.hotpath.shared.operations.MutationParser;
import dev.hotpath.testsupport.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deferred operations end to end over HTTP: Write API → Cloud Tasks emulator → worker → Datastore
 * emulator, every function served by the real invoker, tasks carrying OIDC tokens.
 */
class OperationsHttpTest {
  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(
          b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  @RegisterExtension
  @Order(2)
  static final OperationsTestStack stack = OperationsTestStack.on(datastore);

  @AfterEach
  void noFaults() {
    datastore.ours().ifPresent(ours -> ours.setFaults(Faults.none()));
  }

  static String acceptFriendship(String a, String b) {
    return """
        {"mutations": [
          {"insert": {"key": {"path": [{"kind": "Friendship", "name": "%1$s:%2$s"}]}, "properties": {"since": "2017-05-25"}}},
          {"insert": {"key": {"path": [{"kind": "Friendship", "name": "%2$s:%1$s"}]}, "properties": {"since": "2017-05-25"}}},
          {"increment": {"key": {"path": [{"kind": "User", "name": "%1$s"}]}, "property": "friendCount", "by": 1}},
          {"increment": {"key": {"path": [{"kind": "User", "name": "%2$s"}]}, "property": "friendCount", "by": 1}}
        ]}
        """
        .formatted(a, b);
  }

  @Test
  void theLargestOperationTheApiAcceptsReachesDone() throws Exception {
    // The worker commits the operation's mutations together with the record's DONE write: one
    // more than the API's maximum, which a Datastore that capped commits at 500 mutations refused.
    StringBuilder mutations = new StringBuilder("{\"mutations\": [");
    for (int i = 0; i < MutationParser.MAX_MUTATIONS; i++) {
      mutations
          .append(i == 0 ? "" : ",")
          .append("{\"insert\": {\"key\": {\"path\": [{\"kind\": \"User\", \"name\": \"u")
          .append(i)
          .append("\"}]}, \"properties\": {\"n\": ")
          .append(i)
          .append("}}}");
    }
    HttpJson.Reply accepted = stack.http.post("/v1/operations", mutations.append("]}").toString());
    assertEquals(202, accepted.status(), accepted.body().toString());

    JsonObject done = stack.awaitFinished(accepted.body().get("id").getAsString());
    assertEquals("DONE", done.get("state").getAsString(), done.toString());
    assertEquals(
        MutationParser.MAX_MUTATIONS - 1,
        stack.entity(stack.key("User", "u" + (MutationParser.MAX_MUTATIONS - 1))).getLong("n"));
  }

  @Test
  void anAcceptedOperationReachesDoneWithAllItsEffects() throws Exception {
    stack.put(
        Entity.newBuilder(stack.key("User", "alice"))
            .set("friendCount", 10)
            .set("name", "Alice")
            .build());
    HttpJson.Reply accepted = stack.http.post("/v1/operations", acceptFriendship("alice", "bob"));
    assertEquals(202, accepted.status(), accepted.body().toString());
    String id = accepted.body().get("id").getAsString();
    assertEquals("PENDING", accepted.body().get("state").getAsString());
    assertEquals("/v1/operations/" + id, accepted.header("Location"));

    JsonObject done = stack.awaitFinished(id);
    assertEquals("DONE", done.get("state").getAsString(), done.toString());
    assertTrue(done.get("error").isJsonNull());
    assertNotNull(done.get("createdAt").getAsString());
    assertNotNull(done.get("doneAt").getAsString());
    assertTrue(done.get("attempts").getAsLong() >= 1);
    assertEquals(
        "2017-05-25", stack.entity(stack.key("Friendship", "alice:bob")).getString("since"));
    assertEquals(
        "2017-05-25", stack.entity(stack.key("Friendship", "bob:alice")).getString("since"));
    assertEquals(11, stack.integer(stack.key("User", "alice"), "friendCount"));
    assertEquals(1, stack.integer(stack.key("User", "bob"), "friendCount"));
    // The hot entity itself was not written: increments live on its counter's shards.
    assertEquals(10, stack.entity(stack.key("User", "alice")).getLong("friendCount"));
    assertNull(stack.entity(stack.key("User", "bob")));
  }

  @Test
  void incrementsShareTheWriteApisCounterShardsBothWays() throws Exception {
    String counter = EntityCounters.counterName(stack.key("User", "zed"), "friendCount");
    String bump =
        """
        {"mutations": [{"increment": {"key": {"path": [{"kind": "User", "name": "zed"}]}, "property": "friendCount", "by": 3}}]}""";
    assertEquals(
        "DONE",
        stack
            .awaitFinished(stack.http.post("/v1/operations", bump).body().get("id").getAsString())
            .get("state")
            .getAsString());
    // The counter endpoint adds to the same shards (its group commit reads what operations wrote) …
    for (int i = 0; i < 4; i++) {
      assertEquals(
          200,
          stack.http.post("/v1/counters/" + counter + ":increment", "{\"delta\": 2}").status());
    }
    // … and operations add to shards the counter endpoint wrote.
    for (int i = 0; i < 3; i++) {
      assertEquals(
          "DONE",
          stack
              .awaitFinished(stack.http.post("/v1/operations", bump).body().get("id").getAsString())
              .get("state")
              .getAsString());
    }
    assertEquals(
        4 * 3 + 4 * 2, stack.http.get("/v1/counters/" + counter).body().get("value").getAsLong());
    assertEquals(20, stack.integer(stack.key("User", "zed"), "friendCount"));
  }

  @Test
  void upsertUpdateAndDeleteApplyTogether() throws Exception {
    stack.put(Entity.newBuilder(stack.key("User", "carol")).set("name", "Carol").build());
    stack.put(
        Entity.newBuilder(stack.key("Friendship", "carol:dave")).set("since", "2020").build());
    String body =
        """
        {"mutations": [
          {"update": {"key": {"path": [{"kind": "User", "name": "carol"}]}, "properties": {"name": "Caroline", "age": 41}}},
          {"upsert": {"key": {"path": [{"kind": "Team", "name": "red"}, {"kind": "User", "name": "erin"}]}, "properties": {"joined": {"$timestamp": "2026-01-02T03:04:05Z"}}}},
          {"delete": {"key": {"path": [{"kind": "Friendship", "name": "carol:dave"}]}}}
        ]}
        """;
    HttpJson.Reply accepted = stack.http.post("/v1/operations", body);
    assertEquals(202, accepted.status(), accepted.body().toString());
    assertEquals(
        "DONE",
        stack.awaitFinished(accepted.body().get("id").getAsString()).get("state").getAsString());
    Entity carol = stack.entity(stack.key("User", "carol"));
    assertEquals("Caroline", carol.getString("name"));
    assertEquals(41, carol.getLong("age"));
    assertNull(stack.entity(stack.key("Friendship", "carol:dave")));
    var erin =
        datastore
            .client()
            .newKeyFactory()
            .setKind("User")
            .addAncestor(com.google.cloud.datastore.PathElement.of("Team", "red"))
            .newKey("erin");
    assertNotNull(stack.entity(erin).getTimestamp("joined"));
  }

  @Test
  void failingOperationsEndFailedWithAReasonAndChangeNothing() throws Exception {
    stack.put(Entity.newBuilder(stack.key("Friendship", "frank:gina")).set("since", "old").build());
    stack.put(Entity.newBuilder(stack.key("User", "hank")).set("friendCount", "many").build());
    String insertExisting = acceptFriendship("frank", "gina");
    String updateMissing =
        """
        {"mutations": [
          {"increment": {"key": {"path": [{"kind": "User", "name": "ivan"}]}, "property": "friendCount", "by": 5}},
          {"update": {"key": {"path": [{"kind": "User", "name": "nobody"}]}, "properties": {"x": 1}}}
        ]}""";
    String incrementText =
        """
        {"mutations": [
          {"insert": {"key": {"path": [{"kind": "Friendship", "name": "hank:ivan"}]}, "properties": {}}},
          {"increment": {"key": {"path": [{"kind": "User", "name": "hank"}]}, "property": "friendCount", "by": 1}}
        ]}""";
    assertFailed(insertExisting, "already exists");
    assertFailed(updateMissing, "no such entity");
    assertFailed(incrementText, "not an integer");
    assertEquals("old", stack.entity(stack.key("Friendship", "frank:gina")).getString("since"));
    assertNull(stack.entity(stack.key("Friendship", "gina:frank")));
    assertNull(stack.entity(stack.key("Friendship", "hank:ivan")));
    assertEquals(0, stack.integer(stack.key("User", "frank"), "friendCount"));
    assertEquals(0, stack.integer(stack.key("User", "gina"), "friendCount"));
    assertEquals(0, stack.integer(stack.key("User", "ivan"), "friendCount"));
    assertEquals("many", stack.entity(stack.key("User", "hank")).getString("friendCount"));
  }

  private static void assertFailed(String body, String reason) throws Exception {
    HttpJson.Reply accepted = stack.http.post("/v1/operations", body);
    assertEquals(202, accepted.status(), accepted.body().toString());
    JsonObject failed = stack.awaitFinished(accepted.body().get("id").getAsString());
    assertEquals("FAILED", failed.get("state").getAsString(), failed.toString());
    assertTrue(failed.get("error").getAsString().contains(reason), failed.toString());
  }

  @Test
  void anIdempotencyKeyRepeatNamesTheSameOperationAndAppliesOnce() throws Exception {
    Map<String, String> key = Map.of("Idempotency-Key", "accept-jack-kate-1");
    HttpJson.Reply first =
        stack.http.post(
            "/v1/operations", "application/json", acceptFriendship("jack", "kate"), key);
    assertEquals(202, first.status(), first.body().toString());
    String id = first.body().get("id").getAsString();
    stack.awaitFinished(id);
    for (int i = 0; i < 3; i++) {
      HttpJson.Reply again =
          stack.http.post(
              "/v1/operations", "application/json", acceptFriendship("jack", "kate"), key);
      assertEquals(202, again.status(), again.body().toString());
      assertEquals(id, again.body().get("id").getAsString());
      assertEquals("DONE", again.body().get("state").getAsString());
    }
    assertEquals("DONE", stack.awaitFinished(id).get("state").getAsString());
    assertEquals(1, stack.integer(stack.key("User", "jack"), "friendCount"));
    assertEquals(1, stack.integer(stack.key("User", "kate"), "friendCount"));

    HttpJson.Reply otherBody =
        stack.http.post(
            "/v1/operations", "application/json", acceptFriendship("jack", "liam"), key);
    assertEquals(409, otherBody.status(), otherBody.body().toString());
    assertEquals(
        "ALREADY_EXISTS", otherBody.body().getAsJsonObject("error").get("status").getAsString());
    assertNull(stack.entity(stack.key("Friendship", "jack:liam")));
  }

  @Test
  void duplicateDeliveriesAndDatastoreFaultsApplyEveryEffectExactlyOnce() throws Exception {
    stack.operations.tasks().deliverTwice(name -> true);
    // Faults only ours can inject; on Google's emulators the duplicate deliveries remain.
    datastore
        .ours()
        .ifPresent(
            ours ->
                ours.setFaults(
                    Faults.parse(
                        "unavailable=0.05,deadline-exceeded=0.03,lost-response=0.08,seed=7")));
    int operations = 40;
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<String>> ids = new ArrayList<>();
    for (int i = 0; i < operations; i++) {
      String friend = "fan" + i;
      String key = "exactly-once-" + i;
      ids.add(clients.submit(() -> submitUntilAccepted(acceptFriendship("star", friend), key)));
    }
    List<String> accepted = new ArrayList<>();
    for (Future<String> id : ids) {
      accepted.add(id.get());
    }
    clients.shutdown();
    for (String id : accepted) {
      assertEquals("DONE", stack.awaitFinished(id).get("state").getAsString());
    }
    datastore.ours().ifPresent(ours -> ours.setFaults(Faults.none()));
    assertEquals(operations, stack.integer(stack.key("User", "star"), "friendCount"));
    for (int i = 0; i < operations; i++) {
      assertEquals(1, stack.integer(stack.key("User", "fan" + i), "friendCount"));
      assertNotNull(stack.entity(stack.key("Friendship", "star:fan" + i)));
    }
  }

  /** A client that retries a 503 with the same Idempotency-Key, as the API asks. */
  private static String submitUntilAccepted(String body, String key) throws Exception {
    AtomicReference<HttpJson.Reply> reply = new AtomicReference<>();
    Poll.until(
        "operation " + key + " is accepted",
        Duration.ofSeconds(10),
        () -> {
          reply.set(
              stack.http.post(
                  "/v1/operations", "application/json", body, Map.of("Idempotency-Key", key)));
          assertTrue(
              reply.get().status() == 202 || reply.get().status() == 503,
              reply.get().status() + " " + reply.get().body());
          return reply.get().status() == 202;
        });
    return reply.get().body().get("id").getAsString();
  }

  @Test
  void anUnknownOperationIs404AndAMalformedId400() throws Exception {
    HttpJson.Reply unknown = stack.http.get("/v1/operations/0123456789abcdef0123456789abcdef");
    assertEquals(404, unknown.status());
    assertEquals("NOT_FOUND", unknown.body().getAsJsonObject("error").get("status").getAsString());
    HttpJson.Reply malformed = stack.http.get("/v1/operations/not-an-id");
    assertEquals(400, malformed.status());
  }
}
