package dev.hotpath.emulators.tasks;

import static dev.hotpath.emulators.tasks.Fixtures.createQueue;
import static dev.hotpath.emulators.tasks.Fixtures.httpTask;
import static dev.hotpath.emulators.tasks.Fixtures.queueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import dev.hotpath.emulators.tasks.TaskReceiver.Received;
import dev.hotpath.emulators.tasks.TaskReceiver.Reply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code rate_limits} over real HTTP: the token bucket's rate and the concurrency cap. */
class RateLimitConformanceTest {
  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks = CloudTasksEmulatorExtension.create();

  @RegisterExtension final TaskReceiver receiver = new TaskReceiver();
  private final CloudTasksClient client = tasks.client();

  @Test
  void dispatchRateStaysWithinTenPercentOfMaxDispatchesPerSecond() throws Exception {
    double rate = 25;
    int count = 120;
    Queue queue =
        createQueue(
            client,
            "steady",
            RateLimits.newBuilder().setMaxDispatchesPerSecond(rate).build(),
            RetryConfig.getDefaultInstance());
    int burst = queue.getRateLimits().getMaxBurstSize();
    // Queue everything while paused so creation speed cannot be what limits the rate.
    client.pauseQueue(queue.getName());
    for (int i = 0; i < count; i++) {
      client.createTask(queue.getName(), httpTask(receiver.url("/r")).build());
    }
    client.resumeQueue(queue.getName());

    List<Received> got = receiver.next(count, Duration.ofSeconds(30));
    // The first `burst` go out at once from the full bucket; after that one token per 1/rate s.
    long spanNanos = got.get(count - 1).arrivedNanos() - got.get(burst).arrivedNanos();
    double measured = (count - 1 - burst) / (spanNanos / 1e9);
    assertTrue(
        Math.abs(measured - rate) <= rate * 0.10,
        "measured "
            + measured
            + " dispatches/s over "
            + (count - burst)
            + " tasks; limit is "
            + rate);
  }

  @Test
  void neverMoreThanMaxConcurrentDispatchesInFlight() throws Exception {
    createQueue(
        client,
        "narrow",
        RateLimits.newBuilder().setMaxConcurrentDispatches(3).build(),
        RetryConfig.getDefaultInstance());
    receiver.answer(r -> new Reply(200, java.util.Map.of(), Duration.ofMillis(300)));
    for (int i = 0; i < 12; i++) {
      client.createTask(queueName("narrow"), httpTask(receiver.url("/slow")).build());
    }

    List<Received> got = receiver.next(12, Duration.ofSeconds(30));
    int peak = got.stream().mapToInt(Received::concurrent).max().orElseThrow();
    assertEquals(3, peak, "peak concurrent deliveries");
  }
}
