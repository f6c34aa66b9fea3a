package dev.hotpath.shared.config;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one list of every environment variable hotpath's functions read, and the one home of their
 * defaults. A function adds its settings here and never reads an undeclared variable; each reader
 * of configuration names the settings it reads ({@code DatastoreConfig.SETTINGS}, {@code
 * WriteApiConfig.SETTINGS}, …), each function entry point the union of its readers', and Terraform
 * sets exactly an entry point's settings minus the local-only ones on that function.
 */
public final class Settings {

  public static final Setting PROJECT =
      new Setting(
          "GOOGLE_CLOUD_PROJECT",
          "",
          "Google Cloud project id; empty: detected by the client library");
  public static final Setting DATABASE =
      new Setting(
          "HOTPATH_DATASTORE_DATABASE", "", "Datastore database id; empty: the (default) database");
  public static final Setting EMULATOR_HOST =
      new Setting(
          "DATASTORE_EMULATOR_HOST",
          "",
          "host:port of a Datastore emulator; empty: the real Datastore",
          true);
  public static final Setting ALLOWED_KINDS =
      new Setting(
          "HOTPATH_ALLOWED_KINDS",
          "",
          "comma-separated kinds the Write API may create group entities of; empty: none");
  public static final Setting DEFAULT_SHARDS =
      new Setting("HOTPATH_DEFAULT_SHARDS", "16", "shards a new counter or group starts with");
  public static final Setting MAX_SHARDS =
      new Setting(
          "HOTPATH_MAX_SHARDS",
          "1024",
          "shard count beyond which contention no longer grows a counter or group");
  public static final Setting SHARD_WRITE_INTERVAL_MS =
      new Setting(
          "HOTPATH_SHARD_WRITE_INTERVAL_MS",
          "1000",
          "least time between two writes of one shard from one instance (Datastore sustains ~1 write/s per entity group)");
  public static final Setting FLUSH_INTERVAL_MS =
      new Setting(
          "HOTPATH_FLUSH_INTERVAL_MS",
          "250",
          "least time between two writes of one counter or group by one instance for batches smaller than HOTPATH_EAGER_BATCH (after a burst of 4): the latency budget of coalescing");
  public static final Setting EAGER_BATCH =
      new Setting(
          "HOTPATH_EAGER_BATCH",
          "12",
          "a batch of at least this many increments (or entities) is written as soon as a shard allows; a smaller one waits for HOTPATH_FLUSH_INTERVAL_MS");
  public static final Setting FLUSH_WINDOW_MS =
      new Setting(
          "HOTPATH_FLUSH_WINDOW_MS",
          "5",
          "how long the first of a batch waits for others to join it");
  public static final Setting MAX_BATCH =
      new Setting(
          "HOTPATH_MAX_BATCH", "500", "most increments (or entities) merged into one write");
  public static final Setting MAX_IN_FLIGHT =
      new Setting(
          "HOTPATH_MAX_IN_FLIGHT",
          "2",
          "writes of one counter or group in flight at once per instance: a batch of HOTPATH_EAGER_BATCH need not wait for the write before it, nor for a retried one; 1: all that arrive during a write join the next");
  public static final Setting RETRY_BUDGET_MS =
      new Setting(
          "HOTPATH_RETRY_BUDGET_MS",
          "10000",
          "longest a write may wait and retry before the caller gets 503 with Retry-After");
  public static final Setting RETRY_INITIAL_BACKOFF_MS =
      new Setting(
          "HOTPATH_RETRY_INITIAL_BACKOFF_MS", "20", "first retry backoff (full jitter, doubling)");
  public static final Setting RETRY_MAX_BACKOFF_MS =
      new Setting("HOTPATH_RETRY_MAX_BACKOFF_MS", "1000", "cap of the retry backoff");
  public static final Setting DATASTORE_TIMEOUT_MS =
      new Setting(
          "HOTPATH_DATASTORE_TIMEOUT_MS",
          "5000",
          "connect and read timeout of one Datastore call; a timed-out commit has an unknown outcome");

  public static final Setting DATASTORE_TRANSPORT =
      new Setting(
          "HOTPATH_DATASTORE_TRANSPORT",
          "http",
          "how the functions reach Datastore: grpc (one HTTP/2 channel) or http (HTTP/1.1 connections)");
  public static final Setting VERSIONED_WRITES =
      new Setting(
          "HOTPATH_VERSIONED_WRITES",
          "auto",
          "auto: a counter flush to a shard whose version the instance knows is one commit with a base_version precondition, where Datastore honours it (checked once); off: always a read-write transaction (three calls)");

  // hotpath's own metrics (read by MetricsConfig; every function).
  public static final Setting METRICS =
      new Setting(
          "HOTPATH_METRICS",
          "on",
          "on: record the functions' own metrics and log a summary per instance per interval (log-based metrics, the dashboard and alerts read it); off: record and log none");
  public static final Setting METRICS_INTERVAL_S =
      new Setting(
          "HOTPATH_METRICS_INTERVAL_S",
          "60",
          "least seconds between two metric summaries of one instance (written by a request once due, and on shutdown)");

  // Deferred operations (read by OperationsConfig, WriteApiConfig and WorkerConfig).
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

  // TURN watchdog (read by dev.hotpath.shared.turn.config.TurnConfig and WatchdogSettings).
  public static final Setting TURN_TARGETS =
      new Setting("TURN_TARGETS", "", "JSON list of targets (see the target fields); required");
  public static final Setting TURN_SSH_PRIVATE_KEY =
      new Setting(
          "TURN_SSH_PRIVATE_KEY",
          "",
          "private key for SSH restarts, OpenSSH or PEM, unencrypted; from Secret Manager, never logged; required");
  public static final Setting TURN_REST_SECRET =
      new Setting(
          "TURN_REST_SECRET",
          "",
          "TURN REST API shared secret (coturn static-auth-secret) for targets with \"auth\": \"rest\"; from Secret Manager, never logged");
  public static final Setting TURN_USERNAME =
      new Setting(
          "TURN_USERNAME",
          "",
          "TURN long-term user for targets with \"auth\": \"long-term\"; from Secret Manager");
  public static final Setting TURN_PASSWORD =
      new Setting(
          "TURN_PASSWORD", "", "password of TURN_USERNAME; from Secret Manager, never logged");
  public static final Setting TURN_TLS_CA_CERTS =
      new Setting(
          "TURN_TLS_CA_CERTS",
          "",
          "PEM certificates stun-tls trusts instead of the JDK's CAs (a private CA); empty: the JDK's");
  public static final Setting TURN_CERT_WARN_DAYS =
      new Setting(
          "TURN_CERT_WARN_DAYS",
          "14",
          "a TLS certificate expiring within this many days puts a warning on the target");
  public static final Setting TURN_DOWN_THRESHOLD =
      new Setting("TURN_DOWN_THRESHOLD", "2", "consecutive down rounds before a restart");
  public static final Setting TURN_COOLDOWN_SECONDS =
      new Setting(
          "TURN_COOLDOWN_SECONDS",
          "300",
          "no second restart of a target within this time after one");
  public static final Setting TURN_RESTART_BUDGET_PER_HOUR =
      new Setting(
          "TURN_RESTART_BUDGET_PER_HOUR",
          "3",
          "restarts per target in any hour before it is GIVEN_UP");
  public static final Setting TURN_PROBE_ATTEMPTS =
      new Setting(
          "TURN_PROBE_ATTEMPTS",
          "3",
          "tries per probe per round; the probe fails only if all fail");
  public static final Setting TURN_PROBE_SPACING_MS =
      new Setting("TURN_PROBE_SPACING_MS", "1000", "pause between a probe's tries");
  public static final Setting TURN_PROBE_TIMEOUT_MS =
      new Setting(
          "TURN_PROBE_TIMEOUT_MS",
          "2000",
          "bound on one try (for UDP: the whole retransmission run)");
  public static final Setting TURN_UDP_RTO_MS =
      new Setting(
          "TURN_UDP_RTO_MS", "500", "initial STUN-over-UDP retransmission timeout (RFC 5389 RTO)");
  public static final Setting TURN_SSH_CONNECT_TIMEOUT_MS =
      new Setting("TURN_SSH_CONNECT_TIMEOUT_MS", "10000", "SSH connect and handshake timeout");
  public static final Setting TURN_SSH_COMMAND_TIMEOUT_MS =
      new Setting("TURN_SSH_COMMAND_TIMEOUT_MS", "60000", "how long the restart command may run");
  public static final Setting TURN_SSH_OUTPUT_LIMIT =
      new Setting(
          "TURN_SSH_OUTPUT_LIMIT", "2000", "characters of command output kept in the incident");
  public static final Setting TURN_RECOVERY_TIMEOUT_SECONDS =
      new Setting(
          "TURN_RECOVERY_TIMEOUT_SECONDS",
          "90",
          "after a restart, re-probe this long before STILL_DOWN");
  public static final Setting TURN_RECOVERY_INTERVAL_MS =
      new Setting("TURN_RECOVERY_INTERVAL_MS", "2000", "pause between re-probes after a restart");
  public static final Setting TURN_TARGET_TIMEOUT_SECONDS =
      new Setting(
          "TURN_TARGET_TIMEOUT_SECONDS",
          "240",
          "bound on one target's whole round, and the restart lease; keep it below the function timeout");
  public static final Setting TURN_INCIDENT_HISTORY =
      new Setting("TURN_INCIDENT_HISTORY", "20", "incidents per target returned by GET");
  public static final Setting TURN_ROUNDS_PER_MINUTE =
      new Setting(
          "TURN_ROUNDS_PER_MINUTE",
          "1",
          "rounds one scheduler tick runs, evenly spaced within its minute (1-6); above 1 a tick's request lasts about a minute");

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
          FLUSH_INTERVAL_MS,
          EAGER_BATCH,
          FLUSH_WINDOW_MS,
          MAX_BATCH,
          MAX_IN_FLIGHT,
          RETRY_BUDGET_MS,
          RETRY_INITIAL_BACKOFF_MS,
          RETRY_MAX_BACKOFF_MS,
          DATASTORE_TIMEOUT_MS,
          DATASTORE_TRANSPORT,
          VERSIONED_WRITES,
          METRICS,
          METRICS_INTERVAL_S,
          OPERATION_KINDS,
          OPERATIONS_QUEUE,
          OPERATIONS_WORKER_URL,
          OPERATIONS_SERVICE_ACCOUNT,
          OIDC_JWKS_URL,
          OPERATION_RETRY_BUDGET_MS,
          OPERATION_REENQUEUE_AFTER_MS,
          TASKS_EMULATOR_HOST,
          TURN_TARGETS,
          TURN_SSH_PRIVATE_KEY,
          TURN_REST_SECRET,
          TURN_USERNAME,
          TURN_PASSWORD,
          TURN_TLS_CA_CERTS,
          TURN_CERT_WARN_DAYS,
          TURN_DOWN_THRESHOLD,
          TURN_COOLDOWN_SECONDS,
          TURN_RESTART_BUDGET_PER_HOUR,
          TURN_PROBE_ATTEMPTS,
          TURN_PROBE_SPACING_MS,
          TURN_PROBE_TIMEOUT_MS,
          TURN_UDP_RTO_MS,
          TURN_SSH_CONNECT_TIMEOUT_MS,
          TURN_SSH_COMMAND_TIMEOUT_MS,
          TURN_SSH_OUTPUT_LIMIT,
          TURN_RECOVERY_TIMEOUT_SECONDS,
          TURN_RECOVERY_INTERVAL_MS,
          TURN_TARGET_TIMEOUT_SECONDS,
          TURN_INCIDENT_HISTORY,
          TURN_ROUNDS_PER_MINUTE);

  /** The settings a deployment may set (Terraform's variables): all but the local-only ones. */
  public static List<Setting> deployed() {
    return ALL.stream().filter(s -> !s.localOnly()).toList();
  }

  /**
   * The settings of every list given, each once, in {@link #ALL}'s order; all must be declared
   * there.
   */
  @SafeVarargs
  public static List<Setting> union(Collection<Setting>... lists) {
    // Iterated rather than streamed: handing the varargs array on is what -Xlint:varargs flags.
    Set<Setting> given = new HashSet<>();
    for (Collection<Setting> list : lists) {
      given.addAll(list);
    }
    Set<Setting> wanted = Set.copyOf(given);
    List<Setting> union = ALL.stream().filter(wanted::contains).toList();
    if (union.size() != wanted.size()) {
      throw new IllegalStateException("a setting is not declared in Settings.ALL: " + wanted);
    }
    return union;
  }

  private Settings() {}
}
