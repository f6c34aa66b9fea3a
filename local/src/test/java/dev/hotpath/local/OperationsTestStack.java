package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.QueryResults;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.counters.CounterService;
import dev.hotpath.shared.groupcommit.CommitThreads;
import dev.hotpath.shared.operations.EntityCounters;
import dev.hotpath.shared.operations.OperationStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The stack the operations tests run against: the Datastore emulator of the test class, an
 * {@link OperationsStack} (Tasks emulator + worker, OIDC on) and the Write API, both functions
 * served by the real invoker. Also reads effects back the way clients would.
 */
final class OperationsTestStack implements AutoCloseable {
  static final String KINDS = "User,Friendship,Team";

  final OperationsStack operations;
  final FunctionServer writeApi;
  final HttpJson http;
  private final Datastore datastore;
  private final CounterService counters;
  private final CommitThreads threads = new CommitThreads("test-reads");

  private OperationsTestStack(OperationsStack operations, FunctionServer writeApi, Datastore datastore, Map<String, String> env) {
    this.operations = operations;
    this.writeApi = writeApi;
    this.http = new HttpJson(writeApi.url());
    this.datastore = datastore;
    WriteApiConfig config = WriteApiConfig.fromEnv(env);
    this.counters = new CounterService(datastore, config.sharding(), config.commit(), threads);
  }

  static OperationsTestStack start(DatastoreEmulatorExtension datastore, Map<String, String> extraEnv) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("DATASTORE_EMULATOR_HOST", datastore.emulator().host());
    env.put("GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT);
    env.put("HOTPATH_OPERATION_KINDS", KINDS);
    env.put("HOTPATH_DEFAULT_SHARDS", "4");
    env.putAll(extraEnv);
    OperationsStack operations = OperationsStack.start(0, 0, env);
    Map<String, String> writeApiEnv = new HashMap<>(env);
    writeApiEnv.putAll(operations.env());
    FunctionServer writeApi = FunctionServer.start(WriteApi.class, 0, writeApiEnv);
    return new OperationsTestStack(operations, writeApi, datastore.client(), env);
  }

  /** Polls GET /v1/operations/{id} until the operation is no longer PENDING (generous timeout). */
  JsonObject awaitFinished(String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      HttpJson.Reply reply = http.get("/v1/operations/" + id);
      assertEquals(200, reply.status(), reply.body().toString());
      if (!reply.body().get("state").getAsString().equals("PENDING")) {
        return reply.body();
      }
      Thread.sleep(50);
    }
    return fail("operation " + id + " still PENDING after 90 s");
  }

  /** A property's value as operations define it: the integer on the entity plus its counter. */
  long integer(Key key, String property) {
    Entity entity = datastore.get(key);
    long base = entity != null && entity.contains(property) ? entity.getLong(property) : 0;
    return base + counters.read(EntityCounters.counterName(key, property)).value();
  }

  Entity entity(Key key) {
    return datastore.get(key);
  }

  Key key(String kind, String name) {
    return datastore.newKeyFactory().setKind(kind).newKey(name);
  }

  void put(Entity entity) {
    datastore.put(entity);
  }

  /** How many operation records exist. */
  int operationRecords() {
    QueryResults<Entity> all = datastore.run(Query.newEntityQueryBuilder().setKind(OperationStore.KIND).build());
    int n = 0;
    while (all.hasNext()) {
      all.next();
      n++;
    }
    return n;
  }

  /** How many tasks the operations queue holds. */
  int queuedTasks() throws Exception {
    try (com.google.cloud.tasks.v2.CloudTasksClient client =
        dev.hotpath.shared.tasks.CloudTasksClients.create(operations.env())) {
      int n = 0;
      for (var ignored : client.listTasks(operations.queue()).iterateAll()) {
        n++;
      }
      return n;
    }
  }

  @Override
  public void close() throws Exception {
    threads.close();
    try {
      writeApi.close();
    } finally {
      operations.close();
    }
  }
}
