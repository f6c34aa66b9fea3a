package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.QueryResults;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.FunctionServer;
import dev.hotpath.local.stack.OperationsStack;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.counters.CounterName;
import dev.hotpath.shared.counters.CounterService;
import dev.hotpath.shared.groupcommit.CommitThreads;
import dev.hotpath.shared.operations.EntityCounters;
import dev.hotpath.shared.operations.OperationStore;
import dev.hotpath.testsupport.Poll;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5: the stack the operations tests run against — the Datastore emulator of the test class,
 * an {@link OperationsStack} (Tasks emulator + worker, OIDC on) and the Write API, both functions
 * served by the real invoker — started once per class, the queue reset before each test. Also reads
 * effects back the way clients would.
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();
 * @RegisterExtension @Order(2) static final OperationsTestStack stack = OperationsTestStack.on(datastore);
 * }</pre>
 */
final class OperationsTestStack implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  static final String KINDS = "User,Friendship,Team";

  private final DatastoreEmulatorExtension datastoreExtension;
  private final CommitThreads threads = new CommitThreads("test-reads");
  OperationsStack operations;
  HttpJson http;
  private FunctionServer writeApi;
  private Map<String, String> writeApiEnv;
  private Datastore datastore;
  private CounterService counters;

  private OperationsTestStack(DatastoreEmulatorExtension datastore) {
    this.datastoreExtension = datastore;
  }

  /** The stack over {@code datastore}, which must be registered (and so started) before it. */
  static OperationsTestStack on(DatastoreEmulatorExtension datastore) {
    return new OperationsTestStack(datastore);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("DATASTORE_EMULATOR_HOST", datastoreExtension.host());
    env.put("GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT);
    env.put("HOTPATH_OPERATION_KINDS", KINDS);
    env.put("HOTPATH_DEFAULT_SHARDS", "4");
    operations = OperationsStack.start(0, 0, env);
    writeApiEnv = new HashMap<>(env);
    writeApiEnv.putAll(operations.env());
    writeApi = FunctionServer.start(WriteApi.class, 0, writeApiEnv);
    http = new HttpJson(writeApi.url());
    datastore = datastoreExtension.client();
    WriteApiConfig config = WriteApiConfig.fromEnv(env);
    counters = CounterService.from(datastore, config, threads);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    operations.tasks().reset();
  }

  /** The environment the Write API runs with: Datastore and Tasks emulators, queue, worker URL. */
  Map<String, String> writeApiEnv() {
    return Map.copyOf(writeApiEnv);
  }

  /** Polls GET /v1/operations/{id} until the operation is no longer PENDING (generous timeout). */
  JsonObject awaitFinished(String id) throws Exception {
    AtomicReference<JsonObject> finished = new AtomicReference<>();
    Poll.until(
        "operation " + id + " is no longer PENDING",
        Duration.ofSeconds(90),
        () -> {
          HttpJson.Reply reply = http.get("/v1/operations/" + id);
          assertEquals(200, reply.status(), reply.body().toString());
          if (reply.body().get("state").getAsString().equals("PENDING")) {
            return false;
          }
          finished.set(reply.body());
          return true;
        });
    return finished.get();
  }

  /** A property's value as operations define it: the integer on the entity plus its counter. */
  long integer(Key key, String property) {
    Entity entity = datastore.get(key);
    long base = entity != null && entity.contains(property) ? entity.getLong(property) : 0;
    return base + counters.read(new CounterName(EntityCounters.counterName(key, property))).value();
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
    QueryResults<Entity> all =
        datastore.run(Query.newEntityQueryBuilder().setKind(OperationStore.KIND).build());
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
  public void afterAll(ExtensionContext context) throws Exception {
    threads.close();
    try {
      if (writeApi != null) {
        writeApi.close();
      }
    } finally {
      if (operations != null) {
        operations.close();
      }
    }
  }
}
