package dev.hotpath.emulators.tasks;

import static dev.hotpath.emulators.tasks.Fixtures.LOCATION;
import static dev.hotpath.emulators.tasks.Fixtures.WAIT;
import static dev.hotpath.emulators.tasks.Fixtures.assertStatus;
import static dev.hotpath.emulators.tasks.Fixtures.createQueue;
import static dev.hotpath.emulators.tasks.Fixtures.httpTask;
import static dev.hotpath.emulators.tasks.Fixtures.queueName;
import static dev.hotpath.emulators.tasks.Fixtures.taskName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.ListQueuesRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.FieldMask;
import dev.hotpath.emulators.tasks.engine.ResourceNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Queue methods through the real client: CRUD, defaults, pause/resume/purge, and their errors. */
class QueueApiConformanceTest {
  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks = CloudTasksEmulatorExtension.create();

  @RegisterExtension final TaskReceiver receiver = new TaskReceiver();
  private final CloudTasksClient client = tasks.client();

  @Test
  void createSpellsOutProductionDefaults() {
    Queue queue = createQueue(client, "defaults");

    assertEquals(Queue.State.RUNNING, queue.getState());
    assertEquals(500, queue.getRateLimits().getMaxDispatchesPerSecond());
    assertEquals(100, queue.getRateLimits().getMaxBurstSize());
    assertEquals(1000, queue.getRateLimits().getMaxConcurrentDispatches());
    RetryConfig retry = queue.getRetryConfig();
    assertEquals(100, retry.getMaxAttempts());
    assertEquals(100_000_000, retry.getMinBackoff().getNanos());
    assertEquals(3600, retry.getMaxBackoff().getSeconds());
    assertEquals(16, retry.getMaxDoublings());
    assertEquals(queue, client.getQueue(queueName("defaults")));
  }

  @Test
  void listPagesAndFiltersByState() {
    for (int i = 0; i < 5; i++) {
      createQueue(client, "q" + i);
    }
    client.pauseQueue(queueName("q3"));
    client.createQueue(
        "projects/test-project/locations/europe-west1",
        Queue.newBuilder()
            .setName("projects/test-project/locations/europe-west1/queues/elsewhere")
            .build());

    List<String> names = new ArrayList<>();
    client
        .listQueues(ListQueuesRequest.newBuilder().setParent(LOCATION).setPageSize(2).build())
        .iterateAll()
        .forEach(q -> names.add(ResourceNames.shortId(q.getName())));
    assertEquals(List.of("q0", "q1", "q2", "q3", "q4"), names);
    List<String> paused = new ArrayList<>();
    client
        .listQueues(
            ListQueuesRequest.newBuilder().setParent(LOCATION).setFilter("state: PAUSED").build())
        .iterateAll()
        .forEach(q -> paused.add(ResourceNames.shortId(q.getName())));
    assertEquals(List.of("q3"), paused);
  }

  @Test
  void updateChangesOnlyTheMaskedFieldsAndCreatesMissingQueues() {
    createQueue(client, "tuned");
    Queue updated =
        client.updateQueue(
            Queue.newBuilder()
                .setName(queueName("tuned"))
                .setRateLimits(
                    RateLimits.newBuilder()
                        .setMaxDispatchesPerSecond(5)
                        .setMaxConcurrentDispatches(7))
                .build(),
            FieldMask.newBuilder().addPaths("rate_limits.max_dispatches_per_second").build());

    assertEquals(5, updated.getRateLimits().getMaxDispatchesPerSecond());
    assertEquals(1, updated.getRateLimits().getMaxBurstSize());
    assertEquals(
        1000, updated.getRateLimits().getMaxConcurrentDispatches(), "not in the mask, unchanged");
    assertEquals(100, updated.getRetryConfig().getMaxAttempts());
    Queue created =
        client.updateQueue(
            Queue.newBuilder().setName(queueName("fresh")).build(), FieldMask.getDefaultInstance());
    assertEquals(Queue.State.RUNNING, created.getState());
    assertStatus(
        StatusCode.Code.INVALID_ARGUMENT,
        () ->
            client.updateQueue(
                Queue.newBuilder().setName(queueName("tuned")).setState(Queue.State.PAUSED).build(),
                FieldMask.newBuilder().addPaths("state").build()));
  }

  @Test
  void duplicateMissingAndMalformedQueues() {
    createQueue(client, "once");
    assertStatus(StatusCode.Code.ALREADY_EXISTS, () -> createQueue(client, "once"));
    assertStatus(StatusCode.Code.NOT_FOUND, () -> client.getQueue(queueName("never")));
    assertStatus(StatusCode.Code.NOT_FOUND, () -> client.pauseQueue(queueName("never")));
    assertStatus(StatusCode.Code.NOT_FOUND, () -> client.purgeQueue(queueName("never")));
    assertStatus(StatusCode.Code.NOT_FOUND, () -> client.deleteQueue(queueName("never")));
    assertStatus(StatusCode.Code.INVALID_ARGUMENT, () -> createQueue(client, "under_score"));
    assertStatus(
        StatusCode.Code.INVALID_ARGUMENT,
        () ->
            client.createQueue(
                LOCATION,
                Queue.newBuilder().setName("projects/p/locations/elsewhere/queues/q").build()));
    assertStatus(StatusCode.Code.INVALID_ARGUMENT, () -> client.getQueue("queues/q"));
    assertStatus(
        StatusCode.Code.INVALID_ARGUMENT,
        () ->
            client.createQueue(
                LOCATION,
                Queue.newBuilder()
                    .setName(queueName("fast"))
                    .setRateLimits(RateLimits.newBuilder().setMaxDispatchesPerSecond(501))
                    .build()));
    assertStatus(
        StatusCode.Code.INVALID_ARGUMENT,
        () ->
            client.createQueue(
                LOCATION,
                Queue.newBuilder()
                    .setName(queueName("odd"))
                    .setRetryConfig(RetryConfig.newBuilder().setMaxAttempts(-2))
                    .build()));
    assertFalse(
        client.listQueues(LOCATION).iterateAll().toString().contains("fast"),
        "nothing half-created");
  }

  @Test
  void deleteRemovesTheQueueAndItsTasks() throws Exception {
    client.pauseQueue(createQueue(client, "doomed").getName());
    client.createTask(queueName("doomed"), httpTask(receiver.url("/d")).build());
    client.deleteQueue(queueName("doomed"));

    assertStatus(StatusCode.Code.NOT_FOUND, () -> client.getQueue(queueName("doomed")));
    assertStatus(
        StatusCode.Code.NOT_FOUND,
        () -> client.listTasks(queueName("doomed")).iterateAll().iterator().hasNext());
    receiver.expectNothingFor(Duration.ofMillis(300));
  }

  @Test
  void pausedQueuesAcceptTasksButHoldThemUntilResumed() throws Exception {
    Queue paused = client.pauseQueue(createQueue(client, "held").getName());
    assertEquals(Queue.State.PAUSED, paused.getState());
    for (int i = 0; i < 3; i++) {
      client.createTask(queueName("held"), httpTask(receiver.url("/h")).build());
    }
    receiver.expectNothingFor(Duration.ofMillis(700));

    assertEquals(Queue.State.RUNNING, client.resumeQueue(queueName("held")).getState());
    assertEquals(3, receiver.next(3, WAIT).size());
  }

  @Test
  void purgeDeletesEveryTaskAndTheirNamesStayTaken() throws Exception {
    client.pauseQueue(createQueue(client, "purged").getName());
    String name = taskName("purged", "kept-name");
    client.createTask(queueName("purged"), httpTask(receiver.url("/p")).setName(name).build());
    client.createTask(queueName("purged"), httpTask(receiver.url("/p")).build());

    Queue purged = client.purgeQueue(queueName("purged"));
    assertTrue(purged.hasPurgeTime());
    assertFalse(client.listTasks(queueName("purged")).iterateAll().iterator().hasNext());
    client.resumeQueue(queueName("purged"));
    receiver.expectNothingFor(Duration.ofMillis(500));
    assertStatus(
        StatusCode.Code.ALREADY_EXISTS,
        () ->
            client.createTask(
                queueName("purged"), httpTask(receiver.url("/p")).setName(name).build()));
  }

  @Test
  void namesAreDeduplicatedWhileTheTaskExistsAfterDeletionAndAfterSuccess() throws Exception {
    createQueue(client, "dedup");
    client.pauseQueue(queueName("dedup"));
    String pending = taskName("dedup", "pending");
    client.createTask(queueName("dedup"), httpTask(receiver.url("/x")).setName(pending).build());
    assertStatus(
        StatusCode.Code.ALREADY_EXISTS,
        () ->
            client.createTask(
                queueName("dedup"), httpTask(receiver.url("/x")).setName(pending).build()));

    client.deleteTask(pending);
    assertStatus(StatusCode.Code.NOT_FOUND, () -> client.getTask(pending));
    String message =
        assertStatus(
            StatusCode.Code.ALREADY_EXISTS,
            () ->
                client.createTask(
                    queueName("dedup"), httpTask(receiver.url("/x")).setName(pending).build()));
    assertTrue(message.contains("within the last hour"), message);

    String done = taskName("dedup", "done");
    client.createTask(queueName("dedup"), httpTask(receiver.url("/x")).setName(done).build());
    client.resumeQueue(queueName("dedup"));
    receiver.next(WAIT);
    Fixtures.eventually(
        "the delivered task is gone",
        () -> {
          try {
            client.getTask(done);
            return false;
          } catch (com.google.api.gax.rpc.NotFoundException gone) {
            return true;
          }
        });
    assertStatus(
        StatusCode.Code.ALREADY_EXISTS,
        () ->
            client.createTask(
                queueName("dedup"), httpTask(receiver.url("/x")).setName(done).build()));
    List<Task> left = new ArrayList<>();
    client.listTasks(queueName("dedup")).iterateAll().forEach(left::add);
    assertEquals(List.of(), left);
  }
}
