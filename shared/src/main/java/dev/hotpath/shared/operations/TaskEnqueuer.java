package dev.hotpath.shared.operations;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.Task;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import dev.hotpath.shared.config.OperationsConfig;
import dev.hotpath.shared.retry.RetryPolicy;
import dev.hotpath.shared.validation.UnavailableException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes sure the task of an operation exists: a POST of {@code {"id": …}} to the worker, named
 * {@code op-<id>} in the operations queue. Because the name is fixed, creating it again is harmless
 * — Cloud Tasks answers ALREADY_EXISTS while the task is queued and for about an hour after it
 * finished — so a create whose outcome is unknown is simply repeated.
 */
public final class TaskEnqueuer {
  private static final Set<StatusCode.Code> TRANSIENT =
      Set.of(
          StatusCode.Code.UNAVAILABLE,
          StatusCode.Code.DEADLINE_EXCEEDED,
          StatusCode.Code.INTERNAL,
          StatusCode.Code.RESOURCE_EXHAUSTED,
          StatusCode.Code.ABORTED,
          StatusCode.Code.UNKNOWN);

  private final CloudTasksClient tasks;
  private final OperationsConfig config;
  private final RetryPolicy retry;

  /** Creates the tasks of {@code config}'s queue, retrying within {@code retry}. */
  public TaskEnqueuer(CloudTasksClient tasks, OperationsConfig config, RetryPolicy retry) {
    this.tasks = tasks;
    this.config = config;
    this.retry = retry;
  }

  /**
   * Creates the task of operation {@code id} unless it exists; throws {@link UnavailableException}
   * when it cannot within the budget.
   */
  public void ensureTask(String id) {
    Task task = task(id);
    long deadline = System.nanoTime() + retry.budget().toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        tasks.createTask(config.queue(), task);
        return;
      } catch (AlreadyExistsException e) {
        return; // created by an earlier attempt or request: exactly what we want
      } catch (ApiException e) {
        if (!TRANSIENT.contains(e.getStatusCode().getCode())) {
          throw new IllegalStateException(
              "Cloud Tasks refused the task of operation " + id + ": " + e.getMessage(), e);
        }
        Duration pause = retry.backoff(attempt, ThreadLocalRandom.current());
        if (System.nanoTime() + pause.toNanos() > deadline) {
          throw new UnavailableException(
              "could not enqueue operation " + id + ": " + e.getMessage(),
              Duration.ofSeconds(1),
              e);
        }
        sleep(pause);
      }
    }
  }

  private Task task(String id) {
    JsonObject body = new JsonObject();
    body.addProperty("id", id);
    HttpRequest.Builder http =
        HttpRequest.newBuilder()
            .setUrl(config.workerUrl())
            .setHttpMethod(HttpMethod.POST)
            .putHeaders("Content-Type", "application/json")
            .setBody(ByteString.copyFromUtf8(body.toString()));
    if (!config.serviceAccount().isEmpty()) {
      http.setOidcToken(
          OidcToken.newBuilder()
              .setServiceAccountEmail(config.serviceAccount())
              .setAudience(config.workerUrl()));
    }
    return Task.newBuilder()
        .setName(config.queue() + "/tasks/" + OperationIds.taskId(id))
        .setHttpRequest(http)
        .build();
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while enqueueing", Duration.ofSeconds(1), e);
    }
  }
}
