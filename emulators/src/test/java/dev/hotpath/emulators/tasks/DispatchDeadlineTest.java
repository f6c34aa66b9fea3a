package dev.hotpath.emulators.tasks;

import static dev.hotpath.emulators.tasks.Fixtures.WAIT;
import static dev.hotpath.emulators.tasks.Fixtures.createQueue;
import static dev.hotpath.emulators.tasks.Fixtures.eventually;
import static dev.hotpath.emulators.tasks.Fixtures.fixedBackoff;
import static dev.hotpath.emulators.tasks.Fixtures.httpTask;
import static dev.hotpath.emulators.tasks.Fixtures.queueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.util.Durations;
import com.google.rpc.Code;
import dev.hotpath.emulators.tasks.TaskReceiver.Reply;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A handler slower than the task's {@code dispatch_deadline} counts as a failed attempt
 * (DEADLINE_EXCEEDED) and is retried. The deadline floor is lowered from production's 15 s so this
 * takes a second, not a quarter of a minute. The deadline is real time (a socket timeout); the
 * backoff runs on a hand-driven clock, so the failed attempt stays the task's last one until the
 * test lets the retry go, instead of for the ~100 ms between the timeout and the retry.
 */
class DispatchDeadlineTest {
  private static final ManualClock CLOCK = new ManualClock();

  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks =
      CloudTasksEmulatorExtension.create(
          CloudTasksEmulator.builder().clock(CLOCK).dispatchDeadlineFloor(Duration.ofMillis(100)));

  @RegisterExtension final TaskReceiver receiver = new TaskReceiver();

  @Test
  void aSlowHandlerTimesOutAndTheTaskIsRetried() throws Exception {
    CloudTasksClient client = tasks.client();
    createQueue(
        client, "slow", RateLimits.getDefaultInstance(), fixedBackoff(Duration.ofMillis(100), -1));
    receiver.answer(
        r ->
            r.header("X-CloudTasks-TaskRetryCount").equals("0")
                ? new Reply(200, Map.of(), Duration.ofMillis(2500))
                : Reply.status(200));
    long createdNanos = System.nanoTime();
    Task task =
        client.createTask(
            queueName("slow"),
            httpTask(receiver.url("/slow")).setDispatchDeadline(Durations.fromMillis(500)).build());

    eventually(
        "the first attempt timed out",
        () -> {
          Task t = client.getTask(task.getName());
          return t.getLastAttempt().getResponseStatus().getCode()
              == Code.DEADLINE_EXCEEDED.getNumber();
        });
    long timedOutNanos = System.nanoTime();
    Task waiting = client.getTask(task.getName());
    assertEquals(
        1,
        waiting.getDispatchCount(),
        "no retry before the backoff has passed on the task's clock");
    assertEquals(0, waiting.getResponseCount(), "a timed-out attempt is not a response");

    CLOCK.advance(Duration.ofMillis(100));
    // The receiver logs a request once answered, so the stalled first attempt comes last.
    List<TaskReceiver.Received> attempts =
        receiver.next(2, WAIT).stream()
            .sorted(Comparator.comparingLong(TaskReceiver.Received::arrivedNanos))
            .toList();
    TaskReceiver.Received retry = attempts.get(1);
    assertEquals("1", retry.header("X-CloudTasks-TaskRetryCount"));
    assertEquals(
        "0",
        retry.header("X-CloudTasks-TaskExecutionCount"),
        "the timed-out attempt got no response");
    // The deadline runs from the dispatch, which follows the creation (connecting counts too).
    long waitedMs = (timedOutNanos - createdNanos) / 1_000_000;
    assertTrue(
        waitedMs >= 500,
        "gave up " + waitedMs + " ms after the task was created; the deadline is 500 ms");
    assertTrue(retry.arrivedNanos() > timedOutNanos, "retried before the backoff had passed");
  }
}
