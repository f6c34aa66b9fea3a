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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A handler slower than the task's {@code dispatch_deadline} counts as a failed attempt
 * (DEADLINE_EXCEEDED) and is retried. The deadline floor is lowered from production's 15 s so this
 * takes a second, not a quarter of a minute.
 */
class DispatchDeadlineTest {
  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks = CloudTasksEmulatorExtension.create(
      CloudTasksEmulator.builder().dispatchDeadlineFloor(Duration.ofMillis(100)));

  @RegisterExtension final TaskReceiver receiver = new TaskReceiver();

  @Test
  void aSlowHandlerTimesOutAndTheTaskIsRetried() throws Exception {
    CloudTasksClient client = tasks.client();
    createQueue(client, "slow", RateLimits.getDefaultInstance(), fixedBackoff(Duration.ofMillis(100), -1));
    receiver.answer(r -> r.header("X-CloudTasks-TaskRetryCount").equals("0")
        ? new Reply(200, Map.of(), Duration.ofMillis(2500))
        : Reply.status(200));
    Task task = client.createTask(queueName("slow"), httpTask(receiver.url("/slow"))
        .setDispatchDeadline(Durations.fromMillis(500)).build());

    eventually("the first attempt timed out", () -> {
      Task t = client.getTask(task.getName());
      return t.getLastAttempt().getResponseStatus().getCode() == Code.DEADLINE_EXCEEDED.getNumber();
    });
    assertEquals(0, client.getTask(task.getName()).getResponseCount());
    // The receiver logs a request once answered, so the stalled first attempt comes last.
    List<TaskReceiver.Received> attempts = receiver.next(2, WAIT).stream()
        .sorted(java.util.Comparator.comparingLong(TaskReceiver.Received::arrivedNanos)).toList();
    long gapMs = (attempts.get(1).arrivedNanos() - attempts.get(0).arrivedNanos()) / 1_000_000;
    assertTrue(gapMs >= 550, "retried " + gapMs + " ms after the first attempt; deadline 500 ms + backoff 100 ms");
  }
}
