package dev.hotpath.emulators.tasks;

import static dev.hotpath.emulators.tasks.Fixtures.WAIT;
import static dev.hotpath.emulators.tasks.Fixtures.assertStatus;
import static dev.hotpath.emulators.tasks.Fixtures.createQueue;
import static dev.hotpath.emulators.tasks.Fixtures.eventually;
import static dev.hotpath.emulators.tasks.Fixtures.fixedBackoff;
import static dev.hotpath.emulators.tasks.Fixtures.httpTask;
import static dev.hotpath.emulators.tasks.Fixtures.queueName;
import static dev.hotpath.emulators.tasks.Fixtures.taskName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import com.google.rpc.Code;
import dev.hotpath.emulators.tasks.TaskReceiver.Received;
import dev.hotpath.emulators.tasks.TaskReceiver.Reply;
import dev.hotpath.emulators.tasks.engine.ResourceNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delivery as production does it, through the real client to a real HTTP server. */
class DispatchConformanceTest {
  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks = CloudTasksEmulatorExtension.create();

  @RegisterExtension final TaskReceiver receiver = new TaskReceiver();
  private final CloudTasksClient client = tasks.client();

  @Test
  void deliversMethodBodyHeadersAndTheCloudTasksHeaders() throws Exception {
    createQueue(client, "work");
    Task created =
        client.createTask(
            queueName("work"),
            Task.newBuilder()
                .setName(taskName("work", "greeting-1"))
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl(receiver.url("/hello"))
                        .setHttpMethod(HttpMethod.PUT)
                        .putHeaders("Content-Type", "application/json")
                        .putHeaders("x-custom", "yes")
                        .setBody(ByteString.copyFromUtf8("{\"hi\":1}")))
                .build());

    Received r = receiver.next(WAIT);
    assertEquals("PUT", r.method());
    assertEquals("/hello", r.path());
    assertEquals("{\"hi\":1}", new String(r.body(), StandardCharsets.UTF_8));
    assertEquals("application/json", r.header("Content-Type"));
    assertEquals("yes", r.header("X-Custom"));
    assertEquals("Google-Cloud-Tasks", r.header("User-Agent"));
    assertEquals("work", r.header("X-CloudTasks-QueueName"));
    assertEquals("greeting-1", r.header("X-CloudTasks-TaskName"));
    assertEquals("0", r.header("X-CloudTasks-TaskRetryCount"));
    assertEquals("0", r.header("X-CloudTasks-TaskExecutionCount"));
    Instant eta =
        Instant.ofEpochSecond(
            created.getScheduleTime().getSeconds(), created.getScheduleTime().getNanos());
    assertEquals(
        String.format("%d.%06d", eta.getEpochSecond(), eta.getNano() / 1000),
        r.header("X-CloudTasks-TaskETA"));
  }

  @Test
  void defaultsToPostWithOctetStreamAndGeneratesANameWhenNoneIsGiven() throws Exception {
    createQueue(client, "work");
    Task created =
        client.createTask(queueName("work"), httpTask(receiver.url("/p"), "raw").build());

    assertTrue(created.getName().startsWith(queueName("work") + "/tasks/"), created.getName());
    assertEquals(HttpMethod.POST, created.getHttpRequest().getHttpMethod());
    assertEquals(
        600, created.getDispatchDeadline().getSeconds(), "default dispatch_deadline is 10 minutes");
    Received r = receiver.next(WAIT);
    assertEquals("POST", r.method());
    assertEquals("application/octet-stream", r.header("Content-Type"));
    assertEquals(ResourceNames.shortId(created.getName()), r.header("X-CloudTasks-TaskName"));
  }

  @Test
  void retryAndExecutionCountsFollowTheResponses() throws Exception {
    createQueue(
        client, "work", RateLimits.getDefaultInstance(), fixedBackoff(Duration.ofMillis(50), 10));
    List<Integer> statuses = List.of(404, 503, 200);
    receiver.answer(
        r -> Reply.status(statuses.get(Integer.parseInt(r.header("X-CloudTasks-TaskRetryCount")))));
    client.createTask(queueName("work"), httpTask(receiver.url("/c")).build());

    List<Received> attempts = receiver.next(3, WAIT);
    assertEquals(List.of("0", "1", "2"), headers(attempts, "X-CloudTasks-TaskRetryCount"));
    // A 404 is the handler's answer and counts; a 5xx does not (production's definition).
    assertEquals(List.of("0", "1", "1"), headers(attempts, "X-CloudTasks-TaskExecutionCount"));
    assertEquals("503", attempts.get(2).header("X-CloudTasks-TaskPreviousResponse"));
  }

  @Test
  void scheduleTimeDelaysTheFirstAttempt() throws Exception {
    createQueue(client, "later");
    long createdNanos = System.nanoTime();
    Instant createdAt = Instant.now();
    Instant at = createdAt.plusMillis(1500).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    client.createTask(
        queueName("later"),
        httpTask(receiver.url("/later"))
            .setScheduleTime(Timestamps.fromMillis(at.toEpochMilli()))
            .build());

    Received r = receiver.next(WAIT);
    long waitedNanos = r.arrivedNanos() - createdNanos;
    assertTrue(
        waitedNanos >= Duration.between(createdAt, at).minusMillis(5).toNanos(),
        "arrived " + waitedNanos / 1_000_000 + " ms after creation, before its schedule_time");
    assertEquals(
        String.format("%d.%06d", at.getEpochSecond(), at.getNano() / 1000),
        r.header("X-CloudTasks-TaskETA"));
  }

  @Test
  void getAndListShowCountsAndAttempts() throws Exception {
    createQueue(
        client, "flaky", RateLimits.getDefaultInstance(), fixedBackoff(Duration.ofMillis(100), -1));
    receiver.answer(r -> Reply.status(500));
    Task task = client.createTask(queueName("flaky"), httpTask(receiver.url("/f")).build());
    receiver.next(2, WAIT);
    client.pauseQueue(queueName("flaky"));
    eventually(
        "the last attempt's response is recorded",
        () -> {
          Task t = client.getTask(task.getName());
          return t.getDispatchCount() >= 2 && t.getResponseCount() == t.getDispatchCount();
        });

    Task seen = client.getTask(task.getName());
    assertTrue(seen.hasFirstAttempt() && seen.getFirstAttempt().hasDispatchTime());
    assertTrue(seen.getLastAttempt().hasResponseTime());
    assertEquals(Code.INTERNAL.getNumber(), seen.getLastAttempt().getResponseStatus().getCode());
    assertTrue(
        Timestamps.compare(
                seen.getFirstAttempt().getDispatchTime(), seen.getLastAttempt().getDispatchTime())
            < 0);
    Task listed = client.listTasks(queueName("flaky")).iterateAll().iterator().next();
    assertEquals(seen.getDispatchCount(), listed.getDispatchCount());
    assertEquals(seen.getResponseCount(), listed.getResponseCount());
  }

  @Test
  void basicViewLeavesOutTheBodyAndFullViewShowsIt() throws Exception {
    client.pauseQueue(createQueue(client, "views").getName());
    Task task =
        client.createTask(queueName("views"), httpTask(receiver.url("/v"), "payload").build());

    assertTrue(client.getTask(task.getName()).getHttpRequest().getBody().isEmpty());
    Task full =
        client.getTask(
            com.google.cloud.tasks.v2.GetTaskRequest.newBuilder()
                .setName(task.getName())
                .setResponseView(Task.View.FULL)
                .build());
    assertEquals("payload", full.getHttpRequest().getBody().toStringUtf8());
  }

  @Test
  void runTaskDispatchesAtOnceEvenWhenPausedOrScheduledLater() throws Exception {
    client.pauseQueue(createQueue(client, "manual").getName());
    Task task =
        client.createTask(
            queueName("manual"),
            httpTask(receiver.url("/run"))
                .setScheduleTime(
                    Timestamps.fromMillis(Instant.now().plus(Duration.ofHours(1)).toEpochMilli()))
                .build());

    Task ran = client.runTask(task.getName());
    assertEquals(1, ran.getDispatchCount());
    assertEquals(
        ResourceNames.shortId(task.getName()), receiver.next(WAIT).header("X-CloudTasks-TaskName"));
    eventually(
        "the task is gone after success",
        () ->
            client.listTasks(queueName("manual")).iterateAll().spliterator().getExactSizeIfKnown()
                    == 0
                || !client.listTasks(queueName("manual")).iterateAll().iterator().hasNext());
    assertStatus(StatusCode.Code.NOT_FOUND, () -> client.runTask(task.getName()));
  }

  @Test
  void deliverTwiceRedeliversOnlyTheChosenTasks() throws Exception {
    createQueue(client, "dup");
    String twice = taskName("dup", "twice");
    tasks.emulator().deliverTwice(twice::equals);
    client.createTask(queueName("dup"), httpTask(receiver.url("/d")).setName(twice).build());
    client.createTask(
        queueName("dup"), httpTask(receiver.url("/d")).setName(taskName("dup", "once")).build());

    List<Received> got = receiver.next(3, WAIT);
    receiver.expectNothingFor(Duration.ofMillis(500));
    assertEquals(
        2, got.stream().filter(r -> r.header("X-CloudTasks-TaskName").equals("twice")).count());
    assertEquals(
        1, got.stream().filter(r -> r.header("X-CloudTasks-TaskName").equals("once")).count());
  }

  @Test
  void aRefusedConnectionIsRetriedAndShownAsUnavailable() throws Exception {
    createQueue(
        client,
        "nowhere",
        RateLimits.getDefaultInstance(),
        fixedBackoff(Duration.ofMillis(100), -1));
    String closedPort;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = "http://127.0.0.1:" + s.getLocalPort() + "/gone";
    }
    Task task = client.createTask(queueName("nowhere"), httpTask(closedPort).build());

    eventually("two attempts failed", () -> client.getTask(task.getName()).getDispatchCount() >= 2);
    Task seen = client.getTask(task.getName());
    assertEquals(0, seen.getResponseCount());
    assertFalse(seen.getLastAttempt().hasResponseTime());
    eventually(
        "the attempt's status is recorded",
        () ->
            client.getTask(task.getName()).getLastAttempt().getResponseStatus().getCode()
                == Code.UNAVAILABLE.getNumber());
  }

  private static List<String> headers(List<Received> received, String name) {
    return received.stream().map(r -> r.header(name)).collect(Collectors.toList());
  }
}
