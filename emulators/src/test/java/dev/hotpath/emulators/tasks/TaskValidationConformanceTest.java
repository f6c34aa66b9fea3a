package dev.hotpath.emulators.tasks;

import static dev.hotpath.emulators.tasks.Fixtures.assertStatus;
import static dev.hotpath.emulators.tasks.Fixtures.createQueue;
import static dev.hotpath.emulators.tasks.Fixtures.httpTask;
import static dev.hotpath.emulators.tasks.Fixtures.queueName;
import static dev.hotpath.emulators.tasks.Fixtures.taskName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.rpc.StatusCode.Code;
import com.google.cloud.tasks.v2.AppEngineHttpRequest;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OAuthToken;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad CreateTask requests get production's status with a message naming the problem, and create
 * nothing.
 */
class TaskValidationConformanceTest {
  private static final String URL = "http://127.0.0.1:9/handler";

  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks = CloudTasksEmulatorExtension.create();

  private CloudTasksClient client;

  @BeforeEach
  void setUp() {
    client = tasks.client();
    client.pauseQueue(createQueue(client, "strict").getName());
  }

  @Test
  void appEngineTargetsAreUnimplemented() {
    String message =
        assertStatus(
            Code.UNIMPLEMENTED,
            () ->
                client.createTask(
                    queueName("strict"),
                    Task.newBuilder()
                        .setAppEngineHttpRequest(
                            AppEngineHttpRequest.newBuilder().setRelativeUri("/x"))
                        .build()));
    assertTrue(message.contains("HTTP targets only"), message);
    assertNothingCreated();
  }

  @Test
  void bodyOverOneMebibyteIsRejected() {
    ByteString big = ByteString.copyFrom(new byte[(1 << 20) + 1]);
    String message =
        assertStatus(
            Code.INVALID_ARGUMENT,
            () ->
                client.createTask(
                    queueName("strict"),
                    Task.newBuilder()
                        .setHttpRequest(HttpRequest.newBuilder().setUrl(URL).setBody(big))
                        .build()));
    assertTrue(message.contains("1 MiB"), message);
    assertNothingCreated();
  }

  @Test
  void invalidUrlsAreRejected() {
    for (String url :
        new String[] {"", "ftp://host/x", "not a url", "http:///no-host", "/relative"}) {
      assertStatus(
          Code.INVALID_ARGUMENT,
          () -> client.createTask(queueName("strict"), httpTask(url).build()));
    }
    assertNothingCreated();
  }

  @Test
  void malformedNamesAndUnknownQueues() {
    assertStatus(
        Code.INVALID_ARGUMENT,
        () ->
            client.createTask(
                queueName("strict"),
                httpTask(URL).setName(taskName("strict", "has space")).build()));
    assertStatus(
        Code.INVALID_ARGUMENT,
        () ->
            client.createTask(
                queueName("strict"), httpTask(URL).setName(taskName("other", "t1")).build()));
    assertStatus(
        Code.INVALID_ARGUMENT,
        () -> client.createTask("projects/p/queues/strict", httpTask(URL).build()));
    assertStatus(Code.INVALID_ARGUMENT, () -> client.getTask(queueName("strict") + "/tasks/"));
    assertStatus(
        Code.NOT_FOUND, () -> client.createTask(queueName("missing"), httpTask(URL).build()));
    assertStatus(Code.NOT_FOUND, () -> client.getTask(taskName("strict", "absent")));
    assertStatus(Code.NOT_FOUND, () -> client.deleteTask(taskName("strict", "absent")));
    assertNothingCreated();
  }

  @Test
  void methodBodyAuthAndTimingRules() {
    assertStatus(
        Code.INVALID_ARGUMENT,
        () ->
            client.createTask(
                queueName("strict"),
                Task.newBuilder()
                    .setHttpRequest(
                        HttpRequest.newBuilder()
                            .setUrl(URL)
                            .setHttpMethod(HttpMethod.GET)
                            .setBody(ByteString.copyFromUtf8("x")))
                    .build()));
    assertStatus(
        Code.INVALID_ARGUMENT,
        () ->
            client.createTask(
                queueName("strict"),
                Task.newBuilder()
                    .setHttpRequest(
                        HttpRequest.newBuilder()
                            .setUrl(URL)
                            .setOidcToken(OidcToken.getDefaultInstance()))
                    .build()));
    assertStatus(
        Code.UNIMPLEMENTED,
        () ->
            client.createTask(
                queueName("strict"),
                Task.newBuilder()
                    .setHttpRequest(
                        HttpRequest.newBuilder()
                            .setUrl(URL)
                            .setOauthToken(
                                OAuthToken.newBuilder()
                                    .setServiceAccountEmail("a@b.iam.gserviceaccount.com")))
                    .build()));
    assertStatus(
        Code.INVALID_ARGUMENT,
        () ->
            client.createTask(
                queueName("strict"),
                httpTask(URL).setDispatchDeadline(Durations.fromSeconds(5)).build()));
    assertStatus(
        Code.INVALID_ARGUMENT,
        () ->
            client.createTask(
                queueName("strict"),
                httpTask(URL).setDispatchDeadline(Durations.fromSeconds(31 * 60)).build()));
    assertStatus(
        Code.INVALID_ARGUMENT,
        () ->
            client.createTask(
                queueName("strict"),
                httpTask(URL)
                    .setScheduleTime(
                        Timestamps.fromMillis(
                            Instant.now().plus(Duration.ofDays(31)).toEpochMilli()))
                    .build()));
    assertNothingCreated();
  }

  @Test
  void aPastScheduleTimeMeansNowAndTheDeadlineIsKept() {
    Instant before = Instant.now();
    Task task =
        client.createTask(
            queueName("strict"),
            httpTask(URL)
                .setScheduleTime(Timestamps.fromSeconds(1))
                .setDispatchDeadline(Durations.fromSeconds(15))
                .build());

    assertFalse(
        Instant.ofEpochSecond(task.getScheduleTime().getSeconds())
            .isBefore(before.minusSeconds(1)));
    assertEquals(15, task.getDispatchDeadline().getSeconds());
  }

  private void assertNothingCreated() {
    assertFalse(
        client.listTasks(queueName("strict")).iterateAll().iterator().hasNext(),
        "a rejected task was stored");
  }
}
