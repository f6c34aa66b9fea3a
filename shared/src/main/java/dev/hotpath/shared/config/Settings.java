package dev.hotpath.shared.config;

import java.util.List;

/**
 * The one list of every environment variable hotpath's functions read. The Terraform module sets
 * exactly these; a function adds its settings here, never reads an undeclared variable.
 */
public final class Settings {

  public static final Setting PROJECT =
      new Setting("GOOGLE_CLOUD_PROJECT", "", "Google Cloud project id; empty: detected by the client library");
  public static final Setting DATABASE =
      new Setting("HOTPATH_DATASTORE_DATABASE", "", "Datastore database id; empty: the (default) database");
  public static final Setting EMULATOR_HOST =
      new Setting(
          "DATASTORE_EMULATOR_HOST", "", "host:port of a Datastore emulator; empty: the real Datastore", true);
  public static final Setting ALLOWED_KINDS =
      new Setting(
          "HOTPATH_ALLOWED_KINDS",
          "",
          "comma-separated kinds the Write API may create group entities of; empty: none");
  public static final Setting DEFAULT_SHARDS =
      new Setting("HOTPATH_DEFAULT_SHARDS", "16", "shards a new counter or group starts with");
  public static final Setting MAX_SHARDS =
      new Setting("HOTPATH_MAX_SHARDS", "1024", "shard count beyond which contention no longer grows a counter or group");
  public static final Setting SHARD_WRITE_INTERVAL_MS =
      new Setting(
          "HOTPATH_SHARD_WRITE_INTERVAL_MS",
          "1000",
          "least time between two writes of one shard from one instance (Datastore sustains ~1 write/s per entity group)");
  public static final Setting GROW_AFTER_WAIT_MS =
      new Setting(
          "HOTPATH_GROW_AFTER_WAIT_MS",
          "20",
          "a ready batch that waited this long for a writable shard doubles the shard count");
  public static final Setting FLUSH_WINDOW_MS =
      new Setting("HOTPATH_FLUSH_WINDOW_MS", "5", "how long the first of a batch waits for others to join it");
  public static final Setting MAX_BATCH =
      new Setting("HOTPATH_MAX_BATCH", "500", "most increments (or entities) merged into one write");
  public static final Setting MAX_IN_FLIGHT =
      new Setting(
          "HOTPATH_MAX_IN_FLIGHT",
          "1",
          "writes of one counter or group in flight at once per instance; 1: all that arrive during a write join the next");
  public static final Setting RETRY_BUDGET_MS =
      new Setting(
          "HOTPATH_RETRY_BUDGET_MS",
          "10000",
          "longest a write may wait and retry before the caller gets 503 with Retry-After");
  public static final Setting RETRY_INITIAL_BACKOFF_MS =
      new Setting("HOTPATH_RETRY_INITIAL_BACKOFF_MS", "20", "first retry backoff (full jitter, doubling)");
  public static final Setting RETRY_MAX_BACKOFF_MS =
      new Setting("HOTPATH_RETRY_MAX_BACKOFF_MS", "1000", "cap of the retry backoff");
  public static final Setting DATASTORE_TIMEOUT_MS =
      new Setting(
          "HOTPATH_DATASTORE_TIMEOUT_MS",
          "5000",
          "connect and read timeout of one Datastore call; a timed-out commit has an unknown outcome");

  // Deferred operations (read by dev.hotpath.shared.operations.OperationsConfig).
  public static final Setting OPERATION_KINDS =
      new Setting(
          "HOTPATH_OPERATION_KINDS",
          "",
          "comma-separated kinds POST /v1/operations may write (every kind of a key's path); empty: none");
  public static final Setting OPERATIONS_QUEUE =
      new Setting(
          "HOTPATH_OPERATIONS_QUEUE",
          "",
          "Cloud Tasks queue of deferred operations, projects/P/locations/L/queues/Q; empty: POST /v1/operations answers 503");
  public static final Setting OPERATIONS_WORKER_URL =
      new Setting(
          "HOTPATH_OPERATIONS_WORKER_URL",
          "",
          "URL of the DeferredUpdateWorker function the tasks are sent to; also the OIDC token audience");
  public static final Setting OPERATIONS_SERVICE_ACCOUNT =
      new Setting(
          "HOTPATH_OPERATIONS_SERVICE_ACCOUNT",
          "",
          "service account the tasks carry an OIDC token of and the worker requires; empty: no token sent or checked");
  public static final Setting OIDC_JWKS_URL =
      new Setting(
          "HOTPATH_OIDC_JWKS_URL",
          "https://www.googleapis.com/oauth2/v3/certs",
          "where the worker fetches the keys OIDC tokens are signed with (locally: the Tasks emulator's JWKS)");
  public static final Setting OPERATION_RETRY_BUDGET_MS =
      new Setting(
          "HOTPATH_OPERATION_RETRY_BUDGET_MS",
          "5000",
          "how long the worker retries an aborted or failed transaction in-process before answering 503 to the queue");
  public static final Setting OPERATION_REENQUEUE_AFTER_MS =
      new Setting(
          "HOTPATH_OPERATION_REENQUEUE_AFTER_MS",
          "60000",
          "a GET of an operation PENDING this long makes sure its task exists (repairs a failed enqueue)");
  public static final Setting TASKS_EMULATOR_HOST =
      new Setting(
          "CLOUD_TASKS_EMULATOR_HOST",
          "",
          "host:port of a Cloud Tasks emulator; empty: the real Cloud Tasks",
          true);

  /** Every setting, in the order the README's configuration table lists them. */
  public static final List<Setting> ALL =
      List.of(
          PROJECT,
          DATABASE,
          EMULATOR_HOST,
          ALLOWED_KINDS,
          DEFAULT_SHARDS,
          MAX_SHARDS,
          SHARD_WRITE_INTERVAL_MS,
          GROW_AFTER_WAIT_MS,
          FLUSH_WINDOW_MS,
          MAX_BATCH,
          MAX_IN_FLIGHT,
          RETRY_BUDGET_MS,
          RETRY_INITIAL_BACKOFF_MS,
          RETRY_MAX_BACKOFF_MS,
          DATASTORE_TIMEOUT_MS,
          OPERATION_KINDS,
          OPERATIONS_QUEUE,
          OPERATIONS_WORKER_URL,
          OPERATIONS_SERVICE_ACCOUNT,
          OIDC_JWKS_URL,
          OPERATION_RETRY_BUDGET_MS,
          OPERATION_REENQUEUE_AFTER_MS,
          TASKS_EMULATOR_HOST);

  /** The settings a deployment may set (Terraform's variables): all but the local-only ones. */
  public static List<Setting> deployed() {
    return ALL.stream().filter(s -> !s.localOnly()).toList();
  }

  private Settings() {}
}
