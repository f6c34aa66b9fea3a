package dev.hotpath.shared.operations;

import dev.hotpath.shared.config.ConfigException;
import dev.hotpath.shared.config.Env;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything deferred operations are configured with, read once from the environment: the Write
 * API's settings (Datastore, sharding, retry backoff) plus the {@code HOTPATH_OPERATION*} ones —
 * the kinds operations may write, the queue and worker URL, the OIDC service account and JWKS, the
 * worker's in-process retry budget and when a GET re-ensures a task. Read by {@code WriteApi}
 * (through its operations routes) and by {@code DeferredUpdateWorker}.
 */
public record OperationsConfig(
    WriteApiConfig writeApi,
    Set<String> allowedKinds,
    String queue,
    String workerUrl,
    String serviceAccount,
    String jwksUrl,
    RetryPolicy workerRetry,
    Duration reenqueueAfter) {

  /** Every setting {@link #fromEnv} reads: the Write API's (it reads them whole) and its own. */
  public static final List<Setting> SETTINGS =
      Settings.union(
          WriteApiConfig.SETTINGS,
          List.of(
              Settings.OPERATION_KINDS,
              Settings.OPERATIONS_QUEUE,
              Settings.OPERATIONS_WORKER_URL,
              Settings.OPERATIONS_SERVICE_ACCOUNT,
              Settings.OIDC_JWKS_URL,
              Settings.OPERATION_RETRY_BUDGET_MS,
              Settings.OPERATION_REENQUEUE_AFTER_MS));

  private static final Pattern QUEUE =
      Pattern.compile("projects/[^/]+/locations/[^/]+/queues/[A-Za-z0-9-]{1,100}");

  public static OperationsConfig fromEnv(Map<String, String> variables) {
    Env env = new Env(variables);
    WriteApiConfig writeApi = WriteApiConfig.fromEnv(variables);
    Set<String> kinds = WriteApiConfig.kinds(env, Settings.OPERATION_KINDS);
    String queue = env.string(Settings.OPERATIONS_QUEUE);
    if (!queue.isEmpty() && !QUEUE.matcher(queue).matches()) {
      throw new ConfigException(
          Settings.OPERATIONS_QUEUE.name()
              + " must be projects/P/locations/L/queues/Q, got '"
              + queue
              + "'");
    }
    String workerUrl = env.string(Settings.OPERATIONS_WORKER_URL);
    if (!queue.isEmpty()) {
      checkUrl(Settings.OPERATIONS_WORKER_URL.name(), workerUrl);
    }
    String jwksUrl = env.string(Settings.OIDC_JWKS_URL);
    checkUrl(Settings.OIDC_JWKS_URL.name(), jwksUrl);
    RetryPolicy base = writeApi.commit().retry();
    RetryPolicy workerRetry =
        RetryPolicy.builder()
            .initialBackoff(base.initialBackoff())
            .maxBackoff(base.maxBackoff())
            .budget(env.millis(Settings.OPERATION_RETRY_BUDGET_MS, 1, 600_000))
            .build();
    return new OperationsConfig(
        writeApi,
        kinds,
        queue,
        workerUrl,
        env.string(Settings.OPERATIONS_SERVICE_ACCOUNT),
        jwksUrl,
        workerRetry,
        env.millis(Settings.OPERATION_REENQUEUE_AFTER_MS, 0, 86_400_000));
  }

  /** True when operations can be enqueued (a queue is configured). */
  public boolean enabled() {
    return !queue.isEmpty();
  }

  /** The queue's short id, as the {@code X-CloudTasks-QueueName} header carries it. */
  public String queueId() {
    return queue.substring(queue.lastIndexOf('/') + 1);
  }

  /** True when tasks carry, and the worker demands, an OIDC token. */
  public boolean oidc() {
    return !serviceAccount.isEmpty();
  }

  private static void checkUrl(String name, String url) {
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new ConfigException(name + " must be an http(s) URL, got '" + url + "'");
      }
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(name + " must be an http(s) URL, got '" + url + "'");
    }
  }
}
