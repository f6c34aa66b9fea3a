package dev.hotpath.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * The deferred-operations piece of {@code up}: the Cloud Tasks emulator with the operations queue
 * and the DeferredUpdateWorker ({@link OperationsStack}). Starts after the Datastore emulator and
 * before the Write API, to which it exports the queue, the worker URL, the OIDC settings and
 * {@code CLOUD_TASKS_EMULATOR_HOST}. Unless set, operations may write kinds User and Friendship.
 */
final class OperationsPart implements StackPart {
  static final String DEFAULT_KINDS = "User,Friendship";

  private final int tasksPort;
  private final int workerPort;
  private final Optional<Path> dataDir;
  private OperationsStack stack;

  OperationsPart(int tasksPort, int workerPort, Optional<Path> dataDir) {
    this.tasksPort = tasksPort;
    this.workerPort = workerPort;
    this.dataDir = dataDir;
  }

  @Override
  public void start(Map<String, String> env) throws Exception {
    env.putIfAbsent("HOTPATH_OPERATION_KINDS", DEFAULT_KINDS);
    stack = OperationsStack.start(tasksPort, workerPort, env, dataDir);
    env.putAll(stack.env());
  }

  @Override
  public List<String> banner() {
    return List.of(
        "Cloud Tasks emulator: " + stack.tasks().host() + " (JWKS " + stack.tasks().jwksUrl() + "), queue " + stack.queue()
            + dataDir.map(d -> "  (queues, tasks and signing key in " + d + ")").orElse(""),
        "DeferredUpdateWorker: " + stack.worker().url() + "/ (only tasks of that queue with its OIDC token)");
  }

  /** curl examples for the Write API at {@code url}: an operation and its status. */
  static List<String> examples(String url) {
    return List.of(
        "curl -i -X POST -H 'Content-Type: application/json' -H 'Idempotency-Key: accept-alice-bob' -d '{\"mutations\": ["
            + "{\"insert\": {\"key\": {\"path\": [{\"kind\": \"Friendship\", \"name\": \"alice:bob\"}]}, \"properties\": {\"since\": \"2017-05-25\"}}},"
            + "{\"increment\": {\"key\": {\"path\": [{\"kind\": \"User\", \"name\": \"alice\"}]}, \"property\": \"friendCount\", \"by\": 1}}]}' "
            + url + "/v1/operations",
        "curl " + url + "/v1/operations/ID   # ID from the Location header of the POST");
  }

  @Override
  public void close() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }
}
