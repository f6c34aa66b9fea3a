package dev.hotpath.emulators.tasks;

import static dev.hotpath.emulators.tasks.Fixtures.WAIT;
import static dev.hotpath.emulators.tasks.Fixtures.createQueue;
import static dev.hotpath.emulators.tasks.Fixtures.fixedBackoff;
import static dev.hotpath.emulators.tasks.Fixtures.httpTask;
import static dev.hotpath.emulators.tasks.Fixtures.queueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.protobuf.util.Durations;
import dev.hotpath.emulators.tasks.TaskReceiver.Reply;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retry schedules on a hand-driven clock, still over real HTTP: each retry comes exactly when the
 * backoff (or a 429's or 503's Retry-After) says and not a millisecond of emulator time earlier, so
 * minute-scale schedules take no real time.
 */
class BackoffScheduleTest {
  private static final ManualClock CLOCK = new ManualClock();
  private static final Duration QUIET = Duration.ofMillis(250);

  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks =
      CloudTasksEmulatorExtension.create(CloudTasksEmulator.builder().clock(CLOCK));

  @RegisterExtension final TaskReceiver receiver = new TaskReceiver(500);
  private final CloudTasksClient client = tasks.client();
  private String queue;

  @Test
  void productionsDocumentedExampleSchedule() throws Exception {
    // The example of the RetryConfig reference: min 10 s, max 300 s, 3 doublings.
    createQueue(
        client,
        "documented",
        RateLimits.getDefaultInstance(),
        RetryConfig.newBuilder()
            .setMaxAttempts(9)
            .setMinBackoff(Durations.fromSeconds(10))
            .setMaxBackoff(Durations.fromSeconds(300))
            .setMaxDoublings(3)
            .build());
    queue = queueName("documented");
    client.createTask(queue, httpTask(receiver.url("/doc")).build());
    receiver.next(WAIT);

    for (long seconds : new long[] {10, 20, 40, 80, 160, 240, 300, 300}) {
      expectRetryAfter(Duration.ofSeconds(seconds));
    }
    CLOCK.advance(Duration.ofHours(1));
    receiver.expectNothingFor(QUIET);
    assertFalse(
        client.listTasks(queueName("documented")).iterateAll().iterator().hasNext(),
        "given up after 9 attempts");
  }

  @Test
  void bothLimitsMustBeUsedUpBeforeGivingUp() throws Exception {
    // 2 attempts are allowed, but 10 minutes of retrying too: retries go on until both are used.
    createQueue(
        client,
        "both",
        RateLimits.getDefaultInstance(),
        RetryConfig.newBuilder()
            .setMaxAttempts(2)
            .setMaxRetryDuration(Durations.fromSeconds(600))
            .setMinBackoff(Durations.fromSeconds(60))
            .setMaxBackoff(Durations.fromSeconds(60))
            .build());
    queue = queueName("both");
    client.createTask(queue, httpTask(receiver.url("/both")).build());
    receiver.next(WAIT);

    int attempts = 1;
    for (int minute = 1; minute <= 10; minute++) {
      expectRetryAfter(Duration.ofSeconds(60));
      attempts++;
    }
    CLOCK.advance(Duration.ofSeconds(60));
    receiver.expectNothingFor(QUIET);
    assertEquals(11, attempts, "one attempt plus a retry each minute until 600 s had passed");
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
    queue = queueName("busy");
    client.createTask(queue, httpTask(receiver.url("/busy")).build());
    receiver.next(WAIT);

    expectRetryAfter(Duration.ofSeconds(1)); // what Retry-After said, not the 100 ms backoff
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
    queue = queueName("plain");
    client.createTask(queue, httpTask(receiver.url("/plain")).build());
    receiver.next(WAIT);

    expectRetryAfter(Duration.ofMillis(100)); // the backoff: a 500's Retry-After does not count
  }

  /** Advances to 1 ms before the retry is due (nothing comes), then to it (the retry comes). */
  private void expectRetryAfter(Duration backoff) throws Exception {
    awaitAttemptRecorded();
    CLOCK.advance(backoff.minusMillis(1));
    receiver.expectNothingFor(QUIET);
    CLOCK.advance(Duration.ofMillis(1));
    receiver.next(WAIT);
  }

  /**
   * The receiver saw the request; the emulator must also have scheduled the retry before time
   * moves.
   */
  private void awaitAttemptRecorded() throws InterruptedException {
    Fixtures.eventually(
        "the attempt's response is recorded",
        () -> {
          var all = client.listTasks(queue).iterateAll().iterator();
          if (!all.hasNext()) {
            return true;
          }
          var task = all.next();
          return task.getResponseCount() == task.getDispatchCount();
        });
  }
}
