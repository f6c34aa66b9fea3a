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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retries in real time over real HTTP, on the system clock production runs on: the gaps between
 * attempts follow the queue's backoff (never shorter; longer only by scheduling noise, bounded
 * generously for a loaded machine), and the attempt limits end a task as production documents. The
 * backoffs are configured in tens of milliseconds so the real waits stay short; the schedules to
 * the millisecond, minute-scale ones and Retry-After are checked on a hand-driven clock in {@link
 * BackoffScheduleTest}.
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
    // min 20 ms, 2 doublings: 20, 40, 80, then linear steps of 80 capped at 200 ms: 160, 200.
    createQueue(
        client,
        "backoff",
        RateLimits.getDefaultInstance(),
        RetryConfig.newBuilder()
            .setMaxAttempts(6)
            .setMinBackoff(Durations.fromMillis(20))
            .setMaxBackoff(Durations.fromMillis(200))
            .setMaxDoublings(2)
            .build());
    client.createTask(queueName("backoff"), httpTask(receiver.url("/b")).build());

    List<Received> attempts = receiver.next(6, WAIT);
    long[] expectedMs = {20, 40, 80, 160, 200};
    for (int i = 0; i < expectedMs.length; i++) {
      long gapMs =
          (attempts.get(i + 1).arrivedNanos() - attempts.get(i).arrivedNanos()) / 1_000_000;
      assertTrue(
          gapMs >= expectedMs[i] - 5 && gapMs <= expectedMs[i] + SLACK_MS,
          "gap before retry " + (i + 1) + " was " + gapMs + " ms, expected " + expectedMs[i]);
    }
    receiver.expectNothingFor(Duration.ofMillis(200 + SLACK_MS));
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
    // Production gives up only when both limits are used up: 2 attempts AND 600 ms since the first.
    createQueue(
        client,
        "timed",
        RateLimits.getDefaultInstance(),
        fixedBackoff(Duration.ofMillis(100), 2).toBuilder()
            .setMaxRetryDuration(Durations.fromMillis(600))
            .build());
    client.createTask(queueName("timed"), httpTask(receiver.url("/t")).build());

    Received first = receiver.next(WAIT);
    Received last = first;
    int attempts = 1;
    try {
      while (true) {
        last = receiver.next(Duration.ofMillis(100 + SLACK_MS + 400));
        attempts++;
      }
    } catch (AssertionError quiet) {
      // no further attempt: the task was given up
    }
    long spanMs = (last.arrivedNanos() - first.arrivedNanos()) / 1_000_000;
    assertTrue(
        attempts > 2, "only " + attempts + " attempts; max_retry_duration should allow more");
    assertTrue(
        spanMs >= 500 && spanMs <= 600 + SLACK_MS + 100,
        "attempts spanned " + spanMs + " ms; max_retry_duration is 600 ms");
    eventually(
        "the task is gone",
        () -> !client.listTasks(queueName("timed")).iterateAll().iterator().hasNext());
  }
}
