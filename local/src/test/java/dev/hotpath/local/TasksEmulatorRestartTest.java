package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.tasks.v2.CloudTasksClient;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.emulators.tasks.CloudTasksEmulator;
import dev.hotpath.functions.DeferredUpdateWorker;
import dev.hotpath.local.stack.FunctionServer;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.json.StrictJson;
import dev.hotpath.shared.operations.Operation;
import dev.hotpath.shared.operations.OperationIds;
import dev.hotpath.shared.operations.OperationPayload;
import dev.hotpath.shared.operations.OperationStore;
import dev.hotpath.shared.operations.TaskEnqueuer;
import dev.hotpath.shared.tasks.CloudTasksClients;
import dev.hotpath.testsupport.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cloud Tasks emulator restarted on its data directory: the queue, its 200 queued tasks and the
 * signing key come back, every task is delivered, and the worker — which cached the key before the
 * restart — accepts every token: each operation finishes on its first delivery (a 401 would have
 * made the queue deliver it again, and the record counts deliveries).
 */
class TasksEmulatorRestartTest {
  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  private static final int QUEUED = 200;

  @TempDir Path dataDir;

  @Test
  void queuedTasksSurviveARestartAndAreDeliveredWithoutA401() throws Exception {
    String queue =
        "projects/" + DatastoreEmulatorExtension.PROJECT + "/locations/local/queues/operations";
    CloudTasksEmulator first =
        CloudTasksEmulator.builder().port(0).jwksPort(0).queue(queue).dataDir(dataDir).build();
    first.start();
    int port = first.port();
    int jwksPort = first.jwksPort();
    Map<String, String> env = new HashMap<>();
    env.put("DATASTORE_EMULATOR_HOST", datastore.emulator().host());
    env.put("GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT);
    env.put("HOTPATH_OPERATION_KINDS", "User");
    env.put("HOTPATH_OPERATIONS_QUEUE", queue);
    env.put(
        "HOTPATH_OPERATIONS_SERVICE_ACCOUNT",
        "tasks@" + DatastoreEmulatorExtension.PROJECT + ".iam.gserviceaccount.com");
    env.put("HOTPATH_OIDC_JWKS_URL", first.jwksUrl());
    env.put("CLOUD_TASKS_EMULATOR_HOST", first.host());
    int workerPort = FunctionServer.freePort();
    env.put("HOTPATH_OPERATIONS_WORKER_URL", "http://localhost:" + workerPort + "/");
    CloudTasksEmulator second = null;
    try (FunctionServer worker = FunctionServer.start(DeferredUpdateWorker.class, workerPort, env);
        CloudTasksClient tasks = CloudTasksClients.create(env)) {
      WriteApiConfig config = WriteApiConfig.fromEnv(env);
      Datastore client = DatastoreClients.create(config.datastore());
      OperationStore store =
          new OperationStore(
              client, new Idempotent(config.commit().retry(), Duration.ofSeconds(1)));
      TaskEnqueuer enqueuer = new TaskEnqueuer(tasks, config.operations(), config.commit().retry());

      // One delivery before the restart: the worker has fetched and cached the signing key.
      String warm = submit(store, enqueuer, "warm");
      assertEquals(1, awaitDone(store, List.of(warm)));

      tasks.pauseQueue(queue);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < QUEUED; i++) {
        ids.add(submit(store, enqueuer, "u" + i));
      }
      assertEquals(QUEUED, count(tasks.listTasks(queue).iterateAll()));

      first.close();
      second =
          CloudTasksEmulator.builder()
              .port(port)
              .jwksPort(jwksPort)
              .queue(queue)
              .dataDir(dataDir)
              .build();
      second.start();

      assertEquals(
          QUEUED, count(tasks.listTasks(queue).iterateAll()), "the queued tasks came back");
      assertEquals(com.google.cloud.tasks.v2.Queue.State.PAUSED, tasks.getQueue(queue).getState());
      tasks.resumeQueue(queue);
      assertEquals(
          1, awaitDone(store, ids), "every operation finished on its first delivery: no 401");
      assertEquals(0, count(tasks.listTasks(queue).iterateAll()));
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  private static String submit(OperationStore store, TaskEnqueuer enqueuer, String user) {
    String body =
        "{\"mutations\": [{\"upsert\": {\"key\": {\"path\": [{\"kind\": \"User\", \"name\": \""
            + user
            + "\"}]}, \"properties\": {\"seen\": true}}}]}";
    String id = OperationIds.random();
    store.create(id, OperationPayload.of(StrictJson.parseObject(body).getAsJsonArray("mutations")));
    enqueuer.ensureTask(id);
    return id;
  }

  /** Waits until every operation is DONE; returns the most attempts any of them took. */
  private static long awaitDone(OperationStore store, List<String> ids)
      throws InterruptedException {
    List<String> left = new ArrayList<>(ids);
    long[] mostAttempts = {0};
    Poll.until(
        "all " + ids.size() + " operations are DONE",
        Duration.ofSeconds(90),
        () -> {
          while (!left.isEmpty()) {
            Operation operation = store.get(left.get(0)).orElseThrow();
            if (operation.state() == Operation.State.PENDING) {
              return false;
            }
            assertEquals(Operation.State.DONE, operation.state(), operation.toString());
            mostAttempts[0] = Math.max(mostAttempts[0], operation.attempts());
            left.remove(0);
          }
          return true;
        });
    return mostAttempts[0];
  }

  private static int count(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }
}
