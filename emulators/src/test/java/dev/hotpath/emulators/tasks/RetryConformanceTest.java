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
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.protobuf.util.Durations;
import dev.hotpath.emulators.tasks.TaskReceiver.Received;
import dev.hotpath.emulators.tasks.TaskReceiver.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retries in real time over real HTTP: the gaps between attempts follow the queue's backoff (never
 * shorter; longer only by scheduling noise, bounded generously for a loaded machine), and the
 * attempt limits end a task as production documents.
 */
class RetryConformanceTest {
  /** How late an attempt may be on a busy 2-core machine; early is never allowed. */
  private static final long SLACK_MS = 600;

  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks = CloudTasksEmulatorExtension.create();

  @RegisterExtension final TaskReceiver receiver = new TaskReceiver(500);
  private final CloudTasksClient client = tasks.client();

  @Test
  void backoffDoublesThenGrowsLinearlyUpToMaxBackoff() throws Exception {
    // min 100 ms, 2 doublings: 100, 200, 400, then linear steps of 400 capped at 1 s: 800, 1000.
    createQueue(
        client,
        "backoff",
        RateLimits.getDefaultInstance(),
        RetryConfig.newBuilder()
            .setMaxAttempts(6)
            .setMinBackoff(Durations.fromMillis(100))
            .setMaxBackoff(Durations.fromMillis(1000))
            .setMaxDoublings(2)
            .build());
    client.createTask(queueName("backoff"), httpTask(receiver.url("/b")).build());

    List<Received> attempts = receiver.next(6, WAIT);
    long[] expectedMs = {100, 200, 400, 800, 1000};
    for (int i = 0; i < expectedMs.length; i++) {
      long gapMs =
          (attempts.get(i + 1).arrivedNanos() - attempts.get(i).arrivedNanos()) / 1_000_000;
      assertTrue(
          gapMs >= expectedMs[i] - 5 && gapMs <= expectedMs[i] + SLACK_MS,
          "gap before retry " + (i + 1) + " was " + gapMs + " ms, expected " + expectedMs[i]);
    }
    receiver.expectNothingFor(Duration.ofMillis(1500));
  }

  @Test
  void maxAttemptsEndsTheTaskAndKeepsItsNameTaken() throws Exception {
    createQueue(
        client, "limited", RateLimits.getDefaultInstance(), fixedBackoff(Duration.ofMillis(50), 3));
    String name = taskName("limited", "doomed");
    client.createTask(queueName("limited"), httpTask(receiver.url("/x")).setName(name).build());

    assertEquals(
        List.of("0", "1", "2"),
        receiver.next(3, WAIT).stream().map(r -> r.header("X-CloudTasks-TaskRetryCount")).toList());
    receiver.expectNothingFor(Duration.ofMillis(500));
    assertStatus(StatusCode.Code.NOT_FOUND, () -> client.getTask(name));
    assertStatus(
        StatusCode.Code.ALREADY_EXISTS,
        () ->
            client.createTask(
                queueName("limited"), httpTask(receiver.url("/x")).setName(name).build()));
  }

  @Test
  void maxRetryDurationKeepsRetryingPastMaxAttemptsUntilItRunsOut() throws Exception {
    // Production gives up only when both limits are used up: 2 attempts AND 1.2 s since the first.
    createQueue(
        client,
        "timed",
        RateLimits.getDefaultInstance(),
        fixedBackoff(Duration.ofMillis(200), 2).toBuilder()
            .setMaxRetryDuration(Durations.fromMillis(1200))
            .build());
    client.createTask(queueName("timed"), httpTask(receiver.url("/t")).build());

    Received first = receiver.next(WAIT);
    Received last = first;
    int attempts = 1;
    try {
      while (true) {
        last = receiver.next(Duration.ofMillis(200 + SLACK_MS + 400));
        attempts++;
      }
    } catch (AssertionError quiet) {
      // no further attempt: the task was given up
    }
    long spanMs = (last.arrivedNanos() - first.arrivedNanos()) / 1_000_000;
    assertTrue(
        attempts > 2, "only " + attempts + " attempts; max_retry_duration should allow more");
    assertTrue(
        spanMs >= 1000 && spanMs <= 1200 + SLACK_MS + 200,
        "attempts spanned " + spanMs + " ms; max_retry_duration is 1200 ms");
    eventually(
        "the task is gone",
        () -> !client.listTasks(queueName("timed")).iterateAll().iterator().hasNext());
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 503})
  void retryAfterOnTooManyRequestsAndUnavailableStretchesTheBackoff(int status) throws Exception {
    createQueue(
        client, "busy", RateLimits.getDefaultInstance(), fixedBackoff(Duration.ofMillis(100), 5));
    receiver.answer(
        r ->
            r.header("X-CloudTasks-TaskRetryCount").equals("0")
                ? new Reply(status, Map.of("Retry-After", "1"), Duration.ZERO)
                : Reply.status(200));
    client.createTask(queueName("busy"), httpTask(receiver.url("/busy")).build());

    List<Received> attempts = receiver.next(2, WAIT);
    long gapMs = (attempts.get(1).arrivedNanos() - attempts.get(0).arrivedNanos()) / 1_000_000;
    assertTrue(
        gapMs >= 995 && gapMs <= 1000 + SLACK_MS,
        "retried after " + gapMs + " ms; Retry-After said 1 s");
  }

  @Test
  void retryAfterIsIgnoredOnOtherStatuses() throws Exception {
    createQueue(
        client, "plain", RateLimits.getDefaultInstance(), fixedBackoff(Duration.ofMillis(100), 5));
    receiver.answer(
        r ->
            r.header("X-CloudTasks-TaskRetryCount").equals("0")
                ? new Reply(500, Map.of("Retry-After", "5"), Duration.ZERO)
                : Reply.status(200));
    client.createTask(queueName("plain"), httpTask(receiver.url("/plain")).build());

    List<Received> attempts = receiver.next(2, WAIT);
    long gapMs = (attempts.get(1).arrivedNanos() - attempts.get(0).arrivedNanos()) / 1_000_000;
    assertTrue(
        gapMs < 100 + SLACK_MS * 2,
        "a 500's Retry-After must not delay the retry, waited " + gapMs + " ms");
  }
}
