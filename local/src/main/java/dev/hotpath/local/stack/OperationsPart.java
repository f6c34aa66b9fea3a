package dev.hotpath.local.stack;

import dev.hotpath.shared.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deferred-operations piece of {@code up}: the Cloud Tasks emulator with the operations queue
 * and the DeferredUpdateWorker ({@link OperationsStack}). Starts after the Datastore emulator and
 * before the Write API, to which it exports the queue, the worker URL, the OIDC settings and {@code
 * CLOUD_TASKS_EMULATOR_HOST}. Unless set, operations may write kinds User, Friendship and Team: the
 * kinds of the README's examples.
 */
public final class OperationsPart implements StackPart {
  static final String DEFAULT_KINDS = "User,Friendship,Team";

  private final int tasksPort;
  private final int workerPort;
  private final Optional<Path> dataDir;
  private OperationsStack stack;

  public OperationsPart(int tasksPort, int workerPort, Optional<Path> dataDir) {
    this.tasksPort = tasksPort;
    this.workerPort = workerPort;
    this.dataDir = dataDir;
  }

  @Override
  public void start(Map<String, String> env) throws Exception {
    env.putIfAbsent(Settings.OPERATION_KINDS.name(), DEFAULT_KINDS);
    stack = OperationsStack.start(tasksPort, workerPort, env, dataDir);
    env.putAll(stack.env());
  }

  @Override
  public List<String> banner() {
    return List.of(
        "Cloud Tasks emulator: "
            + stack.tasks().host()
            + " (JWKS "
            + stack.tasks().jwksUrl()
            + "), queue "
            + stack.queue()
            + dataDir.map(d -> "  (queues, tasks and signing key in " + d + ")").orElse(""),
        "DeferredUpdateWorker: "
            + stack.worker().url()
            + "/ (only tasks of that queue with its OIDC token)");
  }

  /**
   * curl examples for the Write API at {@code url}: an operation, and its state read at the URL the
   * POST answers in {@code Location} (repeating the POST with its Idempotency-Key names the same
   * operation). Its key and entities are not the README's, so both run in any order.
   */
  public static List<String> examples(String url) {
    String post =
        "-X POST -H 'Content-Type: application/json' -H 'Idempotency-Key: befriend-carol-dave' -d '{\"mutations\": ["
            + "{\"insert\": {\"key\": {\"path\": [{\"kind\": \"Friendship\", \"name\": \"carol:dave\"}]}, \"properties\": {\"since\": \"2026-01-02\"}}},"
            + "{\"increment\": {\"key\": {\"path\": [{\"kind\": \"User\", \"name\": \"carol\"}]}, \"property\": \"friendCount\", \"by\": 1}}]}' "
            + url
            + "/v1/operations";
    return List.of(
        "curl -i " + post,
        "curl "
            + url
            + "$(curl -s -o /dev/null -w '%header{location}' "
            + post
            + ")   # its state, at the Location the POST answered");
  }

  @Override
  public void close() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }
}
