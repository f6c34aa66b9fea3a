package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.QueryResults;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.FunctionServer;
import dev.hotpath.local.stack.OperationsStack;
import dev.hotpath.shared.operations.OperationStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When the task cannot be created (Cloud Tasks unreachable), the request fails with 503 and the
 * recorded operation is compensated to FAILED — never left PENDING without a task (a phantom).
 */
class OperationsEnqueueFailureTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(
          b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  @Test
  void anOperationThatCannotBeEnqueuedEndsFailedAndTheClientGets503() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("DATASTORE_EMULATOR_HOST", datastore.host());
    env.put("GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT);
    env.put("HOTPATH_OPERATION_KINDS", OperationsTestStack.KINDS);
    env.put("HOTPATH_RETRY_BUDGET_MS", "300");
    try (OperationsStack operations = OperationsStack.start(0, 0, env)) {
      Map<String, String> writeApiEnv = new HashMap<>(env);
      writeApiEnv.putAll(operations.env());
      // Nothing listens here: every CreateTask fails with UNAVAILABLE.
      writeApiEnv.put("CLOUD_TASKS_EMULATOR_HOST", "localhost:" + FunctionServer.freePort());
      try (FunctionServer writeApi = FunctionServer.start(WriteApi.class, 0, writeApiEnv)) {
        HttpJson http = new HttpJson(writeApi.url());
        String body = OperationsHttpTest.acceptFriendship("alice", "bob");
        HttpJson.Reply reply =
            http.post("/v1/operations", "application/json", body, Map.of("Idempotency-Key", "k1"));
        assertEquals(503, reply.status(), reply.body().toString());
        assertEquals(
            "UNAVAILABLE", reply.body().getAsJsonObject("error").get("status").getAsString());

        List<Entity> records = records();
        assertEquals(1, records.size());
        assertEquals("FAILED", records.get(0).getString("state"));
        assertTrue(
            records.get(0).getString("error").contains("could not be enqueued"),
            records.get(0).getString("error"));
        HttpJson.Reply shown = http.get("/v1/operations/" + records.get(0).getKey().getName());
        assertEquals("FAILED", shown.body().get("state").getAsString());

        // The same key names the same, finished operation: nothing is applied later by surprise.
        HttpJson.Reply repeat =
            http.post("/v1/operations", "application/json", body, Map.of("Idempotency-Key", "k1"));
        assertEquals(202, repeat.status(), repeat.body().toString());
        assertEquals("FAILED", repeat.body().get("state").getAsString());
        assertEquals(
            null,
            datastore
                .client()
                .get(datastore.client().newKeyFactory().setKind("Friendship").newKey("alice:bob")));
      }
    }
  }

  private static List<Entity> records() {
    QueryResults<Entity> all =
        datastore.client().run(Query.newEntityQueryBuilder().setKind(OperationStore.KIND).build());
    List<Entity> records = new ArrayList<>();
    all.forEachRemaining(records::add);
    return records;
  }
}
