# Inputs. Names carry their unit (_s, _ms, _mib, _per_s). A variable that feeds a setting names
# it first in its description; its number or string default is the code's own
# (shared/.../config/Settings.java, checked by TerraformVariablesTest).

# --- Project -------------------------------------------------------------------------------------

variable "project_id" {
  description = "Google Cloud project to deploy into."
  type        = string
}

variable "region" {
  description = "Region of the functions, the Cloud Tasks queue, the scheduler job and the source bucket."
  type        = string
  default     = "europe-west1"
}

variable "name_prefix" {
  description = "Prefix of every resource name (functions, service accounts, queue, job, bucket)."
  type        = string
  default     = "hotpath"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,13}$", var.name_prefix))
    error_message = "name_prefix must be 3-14 lowercase letters, digits or dashes, starting with a letter (service account ids are at most 30 characters)."
  }
}

variable "functions_zip_path" {
  description = "Path of the deployable zip that `mvn package` builds (the fat jar at its root)."
  type        = string
  default     = "../functions/target/hotpath-functions.zip"
}

# --- Datastore -----------------------------------------------------------------------------------

variable "create_database" {
  description = "Create the Firestore database in Datastore mode; false uses the existing database named by database_id."
  type        = bool
  default     = true
}

variable "database_id" {
  description = "Datastore-mode database id; \"(default)\" is the project's default database."
  type        = string
  default     = "(default)"
}

variable "database_location_id" {
  description = "Location of a created database (a region such as europe-west1, or a multi-region such as eur3). Cannot change later."
  type        = string
  default     = "europe-west1"
}

variable "datastore_timeout_ms" {
  description = "HOTPATH_DATASTORE_TIMEOUT_MS: connect and read timeout of one Datastore call, in milliseconds."
  type        = number
  default     = 5000
}

variable "datastore_transport" {
  description = "HOTPATH_DATASTORE_TRANSPORT: how the functions reach Datastore, grpc (one HTTP/2 channel) or http (HTTP/1.1)."
  type        = string
  default     = "http"
  validation {
    condition     = contains(["grpc", "http"], var.datastore_transport)
    error_message = "datastore_transport must be grpc or http."
  }
}

variable "versioned_writes" {
  description = "HOTPATH_VERSIONED_WRITES: auto (a counter flush is one commit under a base_version precondition where Datastore honours it) or off (a read-write transaction per flush)."
  type        = string
  default     = "auto"
  validation {
    condition     = contains(["auto", "off"], var.versioned_writes)
    error_message = "versioned_writes must be auto or off."
  }
}

variable "metrics" {
  description = "HOTPATH_METRICS: on (the functions log a summary of their own metrics per instance per interval, which the log-based metrics, dashboard and alerts of monitoring.tf read) or off."
  type        = string
  default     = "on"
  validation {
    condition     = contains(["on", "off"], var.metrics)
    error_message = "metrics must be on or off."
  }
}

variable "metrics_interval_s" {
  description = "HOTPATH_METRICS_INTERVAL_S: least seconds between two metric summaries of one instance. The watchdog alert expects at least one within 5 minutes, so keep it at most 240."
  type        = number
  default     = 60
  validation {
    condition     = var.metrics_interval_s >= 1 && var.metrics_interval_s <= 240
    error_message = "metrics_interval_s must be from 1 to 240."
  }
}

# --- Write API -----------------------------------------------------------------------------------

variable "allowed_kinds" {
  description = "HOTPATH_ALLOWED_KINDS: kinds the Write API may create group entities of. Each gets the group listing's composite index (indexes.json)."
  type        = list(string)
  default     = ["Message"]
}

variable "default_shards" {
  description = "HOTPATH_DEFAULT_SHARDS: shards a new counter or group starts with."
  type        = number
  default     = 16
}

variable "max_shards" {
  description = "HOTPATH_MAX_SHARDS: shard count beyond which contention no longer grows a counter or group."
  type        = number
  default     = 1024
}

variable "shard_write_interval_ms" {
  description = "HOTPATH_SHARD_WRITE_INTERVAL_MS: least time between two writes of one shard from one instance, in milliseconds."
  type        = number
  default     = 1000
}

variable "flush_interval_ms" {
  description = "HOTPATH_FLUSH_INTERVAL_MS: under load, least time (milliseconds) between two writes of one counter or group by one instance; a counter's commits per second stay below instances / interval (docs/scale-out.md)."
  type        = number
  default     = 250

  validation {
    condition     = var.flush_interval_ms >= 0 && var.flush_interval_ms <= 60000
    error_message = "flush_interval_ms must be from 0 to 60000."
  }
}

variable "eager_batch" {
  description = "HOTPATH_EAGER_BATCH: a batch of at least this many increments (or entities) is written as soon as a shard allows; smaller ones wait for flush_interval_ms."
  type        = number
  default     = 12

  validation {
    condition     = var.eager_batch >= 1 && var.eager_batch <= 100000
    error_message = "eager_batch must be from 1 to 100000."
  }
}

variable "flush_window_ms" {
  description = "HOTPATH_FLUSH_WINDOW_MS: how long (milliseconds) the first item of a batch waits for others to join it."
  type        = number
  default     = 5
}

variable "max_batch" {
  description = "HOTPATH_MAX_BATCH: most increments (or entities) merged into one write."
  type        = number
  default     = 500
}

variable "max_in_flight" {
  description = "HOTPATH_MAX_IN_FLIGHT: writes of one counter or group in flight at once per instance."
  type        = number
  default     = 2
}

variable "retry_budget_ms" {
  description = "HOTPATH_RETRY_BUDGET_MS: longest (milliseconds) a write may wait and retry before the caller gets 503."
  type        = number
  default     = 10000
}

variable "retry_initial_backoff_ms" {
  description = "HOTPATH_RETRY_INITIAL_BACKOFF_MS: first retry backoff in milliseconds (full jitter, doubling)."
  type        = number
  default     = 20
}

variable "retry_max_backoff_ms" {
  description = "HOTPATH_RETRY_MAX_BACKOFF_MS: cap of the retry backoff in milliseconds."
  type        = number
  default     = 1000
}

variable "write_api_invokers" {
  description = "IAM members allowed to call the Write API (e.g. \"serviceAccount:app@p.iam.gserviceaccount.com\", \"group:devs@example.com\"). Empty keeps it private to the project's owners; \"allUsers\" makes it public."
  type        = list(string)
  default     = []
}

variable "write_api_memory_mib" {
  description = "Memory of one Write API instance, in MiB."
  type        = number
  default     = 1024
}

variable "write_api_vcpus" {
  description = "vCPUs of one Write API instance; at least 1, which request concurrency above 1 (group commit) requires."
  type        = number
  default     = 1

  validation {
    condition     = var.write_api_vcpus >= 1
    error_message = "write_api_vcpus must be at least 1: group commit needs concurrent requests in one instance."
  }
}

variable "write_api_request_concurrency" {
  description = "Requests one Write API instance serves at once; group commit merges what arrives together, so this must exceed 1."
  type        = number
  default     = 80

  validation {
    condition     = var.write_api_request_concurrency > 1
    error_message = "write_api_request_concurrency must exceed 1, or no two increments ever meet in one batch."
  }
}

variable "write_api_max_instances" {
  description = "Most Write API instances."
  type        = number
  default     = 10
}

variable "write_api_timeout_s" {
  description = "Request timeout of the Write API, in seconds; must exceed retry_budget_ms."
  type        = number
  default     = 60
}

variable "http_max_connections" {
  description = "Idle HTTP connections per host the JVM keeps (-Dhttp.maxConnections via JAVA_TOOL_OPTIONS) for the Datastore client; the JDK default of 5 makes concurrent requests reconnect."
  type        = number
  default     = 128
}

# --- Deferred operations -------------------------------------------------------------------------

variable "operation_kinds" {
  description = "HOTPATH_OPERATION_KINDS: kinds POST /v1/operations may write (every kind of a key's path). Empty: every operation is refused."
  type        = list(string)
  default     = []
}

variable "oidc_jwks_url" {
  description = "HOTPATH_OIDC_JWKS_URL: where the worker fetches the keys Google signs OIDC tokens with."
  type        = string
  default     = "https://www.googleapis.com/oauth2/v3/certs"
}

variable "operation_retry_budget_ms" {
  description = "HOTPATH_OPERATION_RETRY_BUDGET_MS: how long (milliseconds) the worker retries a transaction in-process before answering 503 to the queue."
  type        = number
  default     = 5000
}

variable "operation_reenqueue_after_ms" {
  description = "HOTPATH_OPERATION_REENQUEUE_AFTER_MS: a GET of an operation PENDING this long (milliseconds) makes sure its task exists."
  type        = number
  default     = 60000
}

variable "worker_memory_mib" {
  description = "Memory of one worker instance, in MiB."
  type        = number
  default     = 512
}

variable "worker_request_concurrency" {
  description = "Tasks one worker instance applies at once."
  type        = number
  default     = 16
}

variable "worker_max_instances" {
  description = "Most worker instances; with queue_max_concurrent_dispatches it bounds the load on Datastore."
  type        = number
  default     = 10
}

variable "worker_timeout_s" {
  description = "Request timeout of the worker, in seconds; must exceed operation_retry_budget_ms."
  type        = number
  default     = 60
}

variable "queue_max_dispatches_per_s" {
  description = "Most tasks the queue dispatches per second."
  type        = number
  default     = 500
}

variable "queue_max_concurrent_dispatches" {
  description = "Most tasks in flight to the worker at once."
  type        = number
  default     = 100
}

variable "queue_max_attempts" {
  description = "Deliveries of one task before the queue drops it (the operation then stays PENDING; a GET re-enqueues it). -1: unlimited."
  type        = number
  default     = 100
}

variable "queue_max_retry_duration_s" {
  description = "How long, in seconds, the queue keeps retrying one task (0: no limit besides queue_max_attempts)."
  type        = number
  default     = 86400
}

variable "queue_min_backoff_s" {
  description = "First retry backoff of a task, in seconds."
  type        = number
  default     = 1
}

variable "queue_max_backoff_s" {
  description = "Longest retry backoff of a task, in seconds."
  type        = number
  default     = 300
}

# --- TURN watchdog -------------------------------------------------------------------------------

variable "turn_targets_json" {
  description = "TURN_TARGETS: JSON list of the servers the watchdog guards (fields in the README: name, host, port, probes, url, ssh.{host,port,user,hostKeyFingerprint,restartCommand})."
  type        = string

  validation {
    condition     = can(tolist(jsondecode(var.turn_targets_json)))
    error_message = "turn_targets_json must be a JSON list of targets."
  }
}

variable "turn_ssh_key_secret_id" {
  description = "Id of the existing Secret Manager secret holding the watchdog's SSH private key (TURN_SSH_PRIVATE_KEY); created and filled outside Terraform so the key never enters the state."
  type        = string
  default     = "hotpath-turn-ssh-key"
}

variable "turn_ssh_key_secret_version" {
  description = "Version of that secret the watchdog reads; \"latest\" picks up a rotated key at the next instance start."
  type        = string
  default     = "latest"
}

variable "turn_rest_secret_id" {
  description = "Id of an existing Secret Manager secret holding TURN_REST_SECRET (the TURN REST API shared secret, coturn static-auth-secret) for targets with \"auth\": \"rest\"; empty: none."
  type        = string
  default     = ""
}

variable "turn_username_secret_id" {
  description = "Id of an existing Secret Manager secret holding TURN_USERNAME for targets with \"auth\": \"long-term\"; empty: none."
  type        = string
  default     = ""
}

variable "turn_password_secret_id" {
  description = "Id of an existing Secret Manager secret holding TURN_PASSWORD for targets with \"auth\": \"long-term\"; empty: none."
  type        = string
  default     = ""
}

variable "turn_credential_secret_version" {
  description = "Version of the TURN credential secrets the watchdog reads; \"latest\" picks up a rotation at the next instance start."
  type        = string
  default     = "latest"
}

variable "turn_tls_ca_certs" {
  description = "TURN_TLS_CA_CERTS: PEM certificates stun-tls trusts instead of the JDK's CAs (a private CA; public, not a secret); empty: the JDK's."
  type        = string
  default     = ""
}

variable "turn_cert_warn_days" {
  description = "TURN_CERT_WARN_DAYS: a TLS certificate expiring within this many days puts a warning on the target."
  type        = number
  default     = 14
}

variable "watchdog_vpc_connector_subnetwork" {
  description = "Name of a /28 subnetwork (in region) for a Serverless VPC Access connector: all the watchdog's egress (probes, SSH) then goes through the VPC. Empty: no VPC egress, TURN servers must be reachable on public addresses."
  type        = string
  default     = ""
}

variable "watchdog_vpc_network" {
  description = "Name of the VPC network of that subnetwork and of the TURN servers; used by the example firewall rule."
  type        = string
  default     = ""
}

variable "turn_firewall_target_tags" {
  description = "Network tags of the TURN server VMs. With VPC egress on and tags given, an example firewall rule admits SSH and the probe ports only from the connector's subnetwork."
  type        = list(string)
  default     = []
}

variable "turn_firewall_tcp_ports" {
  description = "TCP ports the example firewall rule opens to the watchdog: SSH, STUN/TURN, TURN over TLS."
  type        = list(string)
  default     = ["22", "3478", "5349"]
}

variable "turn_firewall_udp_ports" {
  description = "UDP ports the example firewall rule opens to the watchdog: STUN/TURN and coturn's relay range (turn-relay's peer sends to the relayed address)."
  type        = list(string)
  default     = ["3478", "49152-65535"]
}

variable "turn_down_threshold" {
  description = "TURN_DOWN_THRESHOLD: consecutive down rounds before a restart."
  type        = number
  default     = 2
}

variable "turn_cooldown_s" {
  description = "TURN_COOLDOWN_SECONDS: no second restart of a target within this many seconds after one."
  type        = number
  default     = 300
}

variable "turn_restart_budget_per_hour" {
  description = "TURN_RESTART_BUDGET_PER_HOUR: restarts per target in any hour before it is GIVEN_UP."
  type        = number
  default     = 3
}

variable "turn_probe_attempts" {
  description = "TURN_PROBE_ATTEMPTS: tries per probe per round; the probe fails only if all fail."
  type        = number
  default     = 3
}

variable "turn_probe_spacing_ms" {
  description = "TURN_PROBE_SPACING_MS: pause between a probe's tries, in milliseconds."
  type        = number
  default     = 1000
}

variable "turn_probe_timeout_ms" {
  description = "TURN_PROBE_TIMEOUT_MS: bound on one try, in milliseconds (for UDP: the whole retransmission run)."
  type        = number
  default     = 2000
}

variable "turn_udp_rto_ms" {
  description = "TURN_UDP_RTO_MS: initial STUN-over-UDP retransmission timeout, in milliseconds."
  type        = number
  default     = 500
}

variable "turn_ssh_connect_timeout_ms" {
  description = "TURN_SSH_CONNECT_TIMEOUT_MS: SSH connect and handshake timeout, in milliseconds."
  type        = number
  default     = 10000
}

variable "turn_ssh_command_timeout_ms" {
  description = "TURN_SSH_COMMAND_TIMEOUT_MS: how long the restart command may run, in milliseconds."
  type        = number
  default     = 60000
}

variable "turn_ssh_output_limit_chars" {
  description = "TURN_SSH_OUTPUT_LIMIT: characters of command output kept in an incident."
  type        = number
  default     = 2000
}

variable "turn_recovery_timeout_s" {
  description = "TURN_RECOVERY_TIMEOUT_SECONDS: after a restart, re-probe this many seconds before STILL_DOWN."
  type        = number
  default     = 90
}

variable "turn_recovery_interval_ms" {
  description = "TURN_RECOVERY_INTERVAL_MS: pause between re-probes after a restart, in milliseconds."
  type        = number
  default     = 2000
}

variable "turn_target_timeout_s" {
  description = "TURN_TARGET_TIMEOUT_SECONDS: bound on one target's round and the restart lease, in seconds; below watchdog_timeout_s."
  type        = number
  default     = 240
}

variable "turn_incident_history" {
  description = "TURN_INCIDENT_HISTORY: incidents per target returned by GET."
  type        = number
  default     = 20
}

variable "turn_rounds_per_minute" {
  description = "TURN_ROUNDS_PER_MINUTE: rounds one scheduler tick runs, evenly spaced within its minute (1-6); above 1 each request lasts about a minute, billed as such (README: cost)."
  type        = number
  default     = 1

  validation {
    condition     = var.turn_rounds_per_minute >= 1 && var.turn_rounds_per_minute <= 6 && floor(var.turn_rounds_per_minute) == var.turn_rounds_per_minute
    error_message = "turn_rounds_per_minute must be a whole number from 1 to 6."
  }
}

variable "watchdog_timeout_s" {
  description = "Least request timeout of the watchdog and the scheduler's attempt deadline, in seconds; raised to cover a tick's rounds (turn_target_timeout_s, plus most of a minute when turn_rounds_per_minute > 1) with 30 s to spare."
  type        = number
  default     = 300
}

variable "watchdog_memory_mib" {
  description = "Memory of the watchdog instance, in MiB."
  type        = number
  default     = 512
}

# --- Alerting ------------------------------------------------------------------------------------

variable "alert_notification_channels" {
  description = "Monitoring notification channel ids (projects/P/notificationChannels/N) every alert policy of monitoring.tf and alerts.tf notifies: Write API 5xx ratio and p99 latency, FAILED or long-PENDING operations, queue backlog, the watchdog not running, and TURN restarts that failed. Empty: incidents show in the console only."
  type        = list(string)
  default     = []
}

variable "alert_write_api_5xx_ratio" {
  description = "Alert when this fraction of the Write API's requests are answered 5xx over 5 minutes."
  type        = number
  default     = 0.05
}

variable "alert_write_api_p99_latency_ms" {
  description = "Alert when the Write API's p99 request latency stays above this many milliseconds for 5 minutes (a write waits up to its flush interval and retries up to retry_budget_ms)."
  type        = number
  default     = 2000
}

variable "alert_oldest_pending_s" {
  description = "Alert when the oldest PENDING operation the sweep sees is older than this many seconds."
  type        = number
  default     = 900
}

variable "alert_queue_depth" {
  description = "Alert when the operations queue holds more than this many tasks for 10 minutes."
  type        = number
  default     = 1000
}
