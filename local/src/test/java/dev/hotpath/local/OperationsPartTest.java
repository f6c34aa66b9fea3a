package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.Key;
import com.google.gson.JsonObject;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.DatastorePart;
import dev.hotpath.local.stack.FunctionServer;
import dev.hotpath.local.stack.OperationsPart;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.counters.CounterName;
import dev.hotpath.shared.counters.CounterService;
import dev.hotpath.shared.groupcommit.CommitThreads;
import dev.hotpath.shared.operations.EntityCounters;
import dev.hotpath.testsupport.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The parts as {@code up} starts them — Datastore emulator with production limits, then {@link
 * OperationsPart}, then the Write API on the shared environment — need no other set-up for
 * operations to reach DONE, including many at once on one hot user entity.
 */
class OperationsPartTest {

  @Test
  void operationsOnOneHotUserAllReachDoneUnderProductionLimits() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("GOOGLE_CLOUD_PROJECT", "hotpath-local");
    DatastorePart datastorePart =
        new DatastorePart(0, true, Optional.empty(), Optional.empty(), Duration.ZERO);
    OperationsPart operationsPart = new OperationsPart(0, 0, Optional.empty());
    datastorePart.start(env);
    try (operationsPart;
        datastorePart;
        FunctionServer writeApi = startWriteApi(operationsPart, env);
        CommitThreads threads = new CommitThreads("test-reads")) {
      HttpJson http = new HttpJson(writeApi.url());
      int operations = 60;
      ExecutorService clients = Executors.newFixedThreadPool(16);
      List<Future<String>> ids = new ArrayList<>();
      for (int i = 0; i < operations; i++) {
        String fan = "fan" + i;
        ids.add(
            clients.submit(
                () -> {
                  HttpJson.Reply reply =
                      http.post("/v1/operations", OperationsHttpTest.acceptFriendship("idol", fan));
                  assertEquals(202, reply.status(), reply.body().toString());
                  return reply.body().get("id").getAsString();
                }));
      }
      for (Future<String> id : ids) {
        awaitDone(http, id.get());
      }
      clients.shutdown();
      Datastore datastore =
          DatastoreOptions.newBuilder()
              .setHost(env.get("DATASTORE_EMULATOR_HOST"))
              .setProjectId("hotpath-local")
              .setCredentials(NoCredentials.getInstance())
              .build()
              .getService();
      WriteApiConfig config = WriteApiConfig.fromEnv(env);
      CounterService counters = CounterService.from(datastore, config, threads);
      Key idol = datastore.newKeyFactory().setKind("User").newKey("idol");
      assertEquals(
          operations,
          counters.read(new CounterName(EntityCounters.counterName(idol, "friendCount"))).value());
      assertEquals(null, datastore.get(idol), "the hot entity itself is never written");
    }
  }

  private static FunctionServer startWriteApi(OperationsPart operations, Map<String, String> env)
      throws Exception {
    operations.start(env);
    return FunctionServer.start(WriteApi.class, 0, env);
  }

  private static void awaitDone(HttpJson http, String id) throws Exception {
    AtomicReference<JsonObject> operation = new AtomicReference<>();
    Poll.until(
        "operation " + id + " is no longer PENDING",
        Duration.ofSeconds(120),
        () -> {
          operation.set(http.get("/v1/operations/" + id).body());
          return !operation.get().get("state").getAsString().equals("PENDING");
        });
    assertEquals("DONE", operation.get().get("state").getAsString(), operation.get().toString());
  }
}
