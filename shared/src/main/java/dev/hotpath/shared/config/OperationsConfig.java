package dev.hotpath.shared.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What both ends of deferred operations are configured with: the kinds operations may write, the
 * queue, the worker URL the tasks go to and the service account whose OIDC token they carry. The
 * Write API reads it within {@link WriteApiConfig}, the worker within {@link WorkerConfig}.
 */
public record OperationsConfig(
    Set<String> allowedKinds, String queue, String workerUrl, String serviceAccount) {

  /** Every setting {@link #from} reads. */
  public static final List<Setting> SETTINGS =
      List.of(
          Settings.OPERATION_KINDS,
          Settings.OPERATIONS_QUEUE,
          Settings.OPERATIONS_WORKER_URL,
          Settings.OPERATIONS_SERVICE_ACCOUNT);

  private static final Pattern QUEUE =
      Pattern.compile("projects/[^/]+/locations/[^/]+/queues/[A-Za-z0-9-]{1,100}");

  public static OperationsConfig from(Env env) {
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
      checkUrl(Settings.OPERATIONS_WORKER_URL, workerUrl);
    }
    return new OperationsConfig(
        kinds, queue, workerUrl, env.string(Settings.OPERATIONS_SERVICE_ACCOUNT));
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

  static void checkUrl(Setting setting, String url) {
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new ConfigException(setting.name() + " must be an http(s) URL, got '" + url + "'");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(setting.name() + " must be an http(s) URL, got '" + url + "'");
    }
  }
}
