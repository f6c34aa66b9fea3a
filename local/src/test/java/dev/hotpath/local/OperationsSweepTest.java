package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Datastore;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.json.StrictJson;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.OperationFigures;
import dev.hotpath.shared.operations.Operation;
import dev.hotpath.shared.operations.OperationIds;
import dev.hotpath.shared.operations.OperationPayload;
import dev.hotpath.shared.operations.OperationStore;
import dev.hotpath.shared.operations.OperationSweeper;
import dev.hotpath.shared.operations.TaskEnqueuer;
import dev.hotpath.shared.tasks.CloudTasksClients;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Write API that dies between recording an operation and creating its task leaves a PENDING
 * record nobody asks about. The sweep finds it once it is older than the re-enqueue age and it is
 * applied, exactly once, even when the client repeats its Idempotency-Key at the same moment. The
 * crash is reproduced by writing the record exactly as the submit does and creating no task; the
 * sweep's clock is injected, so no test waits a minute.
 */
class OperationsSweepTest {
  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  @RegisterExtension
  @Order(2)
  static final OperationsTestStack stack = OperationsTestStack.on(datastore);

  private static WriteApiConfig config;
  private static OperationStore store;
  private static TaskEnqueuer enqueuer;
  private static com.google.cloud.tasks.v2.CloudTasksClient tasksClient;

  @BeforeAll
  static void connect() throws Exception {
    config = WriteApiConfig.fromEnv(stack.writeApiEnv());
    Datastore client = DatastoreClients.create(config.datastore());
    store =
        new OperationStore(client, new Idempotent(config.commit().retry(), Duration.ofSeconds(1)));
    tasksClient = CloudTasksClients.create(stack.writeApiEnv());
    enqueuer = new TaskEnqueuer(tasksClient, config.operations(), config.commit().retry());
  }

  @AfterAll
  static void disconnect() {
    tasksClient.close();
  }

  /** What a Write API instance had done when it died: the record is written, the task is not. */
  private static Operation strandedRecord(String id, String body) {
    OperationPayload payload =
        OperationPayload.of(StrictJson.parseObject(body).getAsJsonArray("mutations"));
    return store.create(id, payload);
  }

  private static OperationSweeper sweeperAt(Instant now) {
    return new OperationSweeper(
        store, enqueuer, config.reenqueueAfter(), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  @Test
  void aRecordStrandedByACrashIsSweptToDoneOnceItIsOlderThanTheReenqueueAge() throws Exception {
    Operation stranded =
        strandedRecord(OperationIds.random(), OperationsHttpTest.acceptFriendship("carl", "dina"));
    Instant recorded = instant(stranded.createdAt());
    Duration age = config.reenqueueAfter();

    // Younger than the age: a submit may still be working on it, so the sweep leaves it alone.
    assertEquals(
        new OperationSweeper.Result(0, 0, 0), sweeperAt(recorded.plus(age).minusMillis(1)).sweep());
    assertEquals(0, stack.queuedTasks());
    assertEquals(
        "PENDING",
        stack.http.get("/v1/operations/" + stranded.id()).body().get("state").getAsString());

    assertEquals(0, Metrics.global().snapshot(0).operations().oldestPendingAgeMillis());

    // The first sweep after the age ensures its task; the worker applies it.
    long reenqueued = Metrics.global().snapshot(0).operations().reenqueued();
    assertEquals(
        new OperationSweeper.Result(1, 1, 0), sweeperAt(recorded.plus(age).plusMillis(1)).sweep());
    OperationFigures seen = Metrics.global().snapshot(0).operations();
    assertEquals(1, seen.reenqueued() - reenqueued);
    // The oldest PENDING age as this sweep's clock sees it (stored times are microseconds).
    long oldest = seen.oldestPendingAgeMillis();
    assertTrue(oldest >= age.toMillis() && oldest <= age.toMillis() + 1, oldest + " ms");
    JsonObject done = stack.awaitFinished(stranded.id());
    assertEquals("DONE", done.get("state").getAsString(), done.toString());
    assertEquals(1, stack.integer(stack.key("User", "carl"), "friendCount"));
    assertEquals(1, stack.integer(stack.key("User", "dina"), "friendCount"));

    // Nothing is left for later sweeps.
    assertEquals(
        new OperationSweeper.Result(0, 0, 0),
        sweeperAt(recorded.plus(age).plusSeconds(3600)).sweep());
  }

  @Test
  void aSweepRacingTheClientsRepeatOfItsIdempotencyKeyAppliesTheOperationOnce() throws Exception {
    String body = OperationsHttpTest.acceptFriendship("emil", "fay");
    Operation stranded = strandedRecord(OperationIds.fromIdempotencyKey("accept-emil-fay"), body);
    OperationSweeper sweeper =
        sweeperAt(instant(stranded.createdAt()).plus(config.reenqueueAfter()).plusSeconds(1));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<OperationSweeper.Result> swept = pool.submit(sweeper::sweep);
      Future<HttpJson.Reply> repeated =
          pool.submit(
              () ->
                  stack.http.post(
                      "/v1/operations",
                      "application/json",
                      body,
                      Map.of("Idempotency-Key", "accept-emil-fay")));
      HttpJson.Reply reply = repeated.get();
      assertEquals(202, reply.status(), reply.body().toString());
      assertEquals(stranded.id(), reply.body().get("id").getAsString());
      assertEquals(1, swept.get().stranded());
    } finally {
      pool.shutdownNow();
    }
    assertEquals("DONE", stack.awaitFinished(stranded.id()).get("state").getAsString());
    assertEquals(1, stack.integer(stack.key("User", "emil"), "friendCount"));
    assertEquals(1, stack.integer(stack.key("User", "fay"), "friendCount"));
  }

  @Test
  void theSweepEndpointLeavesYoungRecordsToTheirSubmit() throws Exception {
    Operation young =
        strandedRecord(OperationIds.random(), OperationsHttpTest.acceptFriendship("gus", "hana"));
    try {
      HttpJson.Reply reply = stack.http.post("/v1/operations:sweep", "{}");
      assertEquals(200, reply.status(), reply.body().toString());
      assertEquals(0, reply.body().get("stranded").getAsInt(), reply.body().toString());
      assertEquals(0, stack.queuedTasks());
    } finally {
      store.failIfPending(
          young.id(), "left over by a test", 0); // so other tests' sweeps do not find it
    }
  }
}
