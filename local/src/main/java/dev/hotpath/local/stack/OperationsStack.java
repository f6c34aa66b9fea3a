package dev.hotpath.local.stack;

import dev.hotpath.emulators.tasks.CloudTasksEmulator;
import dev.hotpath.functions.DeferredUpdateWorker;
import dev.hotpath.shared.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The local half of deferred operations: a Cloud Tasks emulator with the operations queue and the
 * {@link DeferredUpdateWorker} served by the Functions Framework invoker, wired so that tasks carry
 * OIDC tokens the worker verifies against the emulator's JWKS. {@link #env()} holds the variables
 * the Write API needs on top of its own to enqueue there.
 *
 * <pre>{@code
 * try (OperationsStack ops = OperationsStack.start(8123, 8082, functionEnv)) {
 *   Map<String, String> writeApiEnv = new HashMap<>(functionEnv);
 *   writeApiEnv.putAll(ops.env());
 *   FunctionServer.start(WriteApi.class, 8080, writeApiEnv);
 * }
 * }</pre>
 */
public final class OperationsStack implements AutoCloseable {
  public static final int DEFAULT_TASKS_PORT = 8123;
  public static final int DEFAULT_WORKER_PORT = 8082;

  /** Stands in for the service account production tasks run as; only a name locally. */
  public static final String SERVICE_ACCOUNT_LOCAL_PART = "hotpath-tasks";

  private final CloudTasksEmulator tasks;
  private final FunctionServer worker;
  private final Map<String, String> env;

  private OperationsStack(
      CloudTasksEmulator tasks, FunctionServer worker, Map<String, String> env) {
    this.tasks = tasks;
    this.worker = worker;
    this.env = Map.copyOf(env);
  }

  /**
   * Starts the Tasks emulator on {@code tasksPort} (JWKS on the next port) and the worker on {@code
   * workerPort} (0: free ports).
   *
   * @param functionEnv what every function of the stack reads (Datastore emulator, project,
   *     sharding, {@code HOTPATH_OPERATION_KINDS}, …); must name {@code GOOGLE_CLOUD_PROJECT}
   */
  public static OperationsStack start(
      int tasksPort, int workerPort, Map<String, String> functionEnv) throws Exception {
    return start(tasksPort, workerPort, functionEnv, Optional.empty());
  }

  /**
   * As {@link #start(int, int, Map)}, the Tasks emulator keeping its state in {@code dataDir} if
   * given.
   */
  public static OperationsStack start(
      int tasksPort, int workerPort, Map<String, String> functionEnv, Optional<Path> dataDir)
      throws Exception {
    String project = functionEnv.getOrDefault(Settings.PROJECT.name(), "");
    if (project.isBlank()) {
      throw new IllegalArgumentException(
          "the functions' environment must name " + Settings.PROJECT.name());
    }
    String queue = "projects/" + project + "/locations/local/queues/operations";
    CloudTasksEmulator.Builder builder = CloudTasksEmulator.builder().port(tasksPort).queue(queue);
    dataDir.ifPresent(builder::dataDir);
    CloudTasksEmulator tasks = builder.build();
    tasks.start();
    try {
      int port = workerPort == 0 ? FunctionServer.freePort() : workerPort;
      Map<String, String> env = new HashMap<>();
      env.put(Settings.OPERATIONS_QUEUE.name(), queue);
      env.put(Settings.OPERATIONS_WORKER_URL.name(), "http://localhost:" + port + "/");
      env.put(
          Settings.OPERATIONS_SERVICE_ACCOUNT.name(),
          SERVICE_ACCOUNT_LOCAL_PART + "@" + project + ".iam.gserviceaccount.com");
      env.put(Settings.OIDC_JWKS_URL.name(), tasks.jwksUrl());
      env.put(Settings.TASKS_EMULATOR_HOST.name(), tasks.host());
      Map<String, String> workerEnv = new HashMap<>(functionEnv);
      workerEnv.putAll(env);
      return new OperationsStack(
          tasks, FunctionServer.start(DeferredUpdateWorker.class, port, workerEnv), env);
    } catch (Exception e) {
      tasks.close();
      throw e;
    }
  }

  /** The variables the Write API needs to enqueue operations to this stack. */
  public Map<String, String> env() {
    return env;
  }

  public CloudTasksEmulator tasks() {
    return tasks;
  }

  public String queue() {
    return env.get(Settings.OPERATIONS_QUEUE.name());
  }

  public FunctionServer worker() {
    return worker;
  }

  @Override
  public void close() throws Exception {
    try {
      worker.close();
    } finally {
      tasks.close();
    }
  }
}
