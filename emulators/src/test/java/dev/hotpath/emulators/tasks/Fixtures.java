package dev.hotpath.emulators.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import dev.hotpath.testsupport.Poll;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.function.Executable;

/** Names, builders and waits the conformance tests share. */
final class Fixtures {
  static final String LOCATION = "projects/test-project/locations/us-central1";
  static final Duration WAIT = Duration.ofSeconds(20);

  static String queueName(String id) {
    return LOCATION + "/queues/" + id;
  }

  static String taskName(String queueId, String taskId) {
    return queueName(queueId) + "/tasks/" + taskId;
  }

  static Queue createQueue(CloudTasksClient client, String id) {
    return client.createQueue(LOCATION, Queue.newBuilder().setName(queueName(id)).build());
  }

  static Queue createQueue(
      CloudTasksClient client, String id, RateLimits rates, RetryConfig retry) {
    return client.createQueue(
        LOCATION,
        Queue.newBuilder()
            .setName(queueName(id))
            .setRateLimits(rates)
            .setRetryConfig(retry)
            .build());
  }

  /** Retries every {@code backoff} exactly (no doubling), as often as {@code attempts} says. */
  static RetryConfig fixedBackoff(Duration backoff, int attempts) {
    return RetryConfig.newBuilder()
        .setMaxAttempts(attempts)
        .setMinBackoff(Durations.fromMillis(backoff.toMillis()))
        .setMaxBackoff(Durations.fromMillis(backoff.toMillis()))
        .build();
  }

  static Task.Builder httpTask(String url) {
    return Task.newBuilder().setHttpRequest(HttpRequest.newBuilder().setUrl(url));
  }

  static Task.Builder httpTask(String url, String body) {
    return Task.newBuilder()
        .setHttpRequest(
            HttpRequest.newBuilder().setUrl(url).setBody(ByteString.copyFromUtf8(body)));
  }

  /** Asserts the call fails with {@code code}; returns the message for further checks. */
  static String assertStatus(StatusCode.Code code, Executable call) {
    ApiException e = assertThrows(ApiException.class, call);
    assertEquals(code, e.getStatusCode().getCode(), e.getMessage());
    return e.getMessage();
  }

  /** Polls {@code condition} until it holds; fails after {@link #WAIT}. */
  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.until(what, WAIT, condition::getAsBoolean);
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private Fixtures() {}
}
