# The three functions, one fat jar (source.tf), each with its own service account and exactly the
# environment variables its entry point reads (the entry point's SETTINGS list in the code; the
# Terraform tests compare the two). One resource deploys them all from local.functions, which says
# what differs between them.
locals {
  write_api_name = "${var.name_prefix}-write-api"
  worker_name    = "${var.name_prefix}-worker"
  watchdog_name  = "${var.name_prefix}-turn-watchdog"

  # The worker's Cloud Run URL in its deterministic form (service name, project number, region) is
  # known before the worker exists, which lets the worker carry its own URL — the tasks' target
  # and the OIDC audience both Cloud Run and the worker check — without a dependency cycle.
  worker_url = "https://${local.worker_name}-${data.google_project.this.number}.${var.region}.run.app"

  # DatastoreConfig.SETTINGS. Datastore's API names the default database "" ("(default)" is refused).
  datastore_env = {
    GOOGLE_CLOUD_PROJECT         = var.project_id
    HOTPATH_DATASTORE_DATABASE   = local.database_id == "(default)" ? "" : local.database_id
    HOTPATH_DATASTORE_TIMEOUT_MS = tostring(var.datastore_timeout_ms)
    HOTPATH_DATASTORE_TRANSPORT  = var.datastore_transport
    HOTPATH_VERSIONED_WRITES     = var.versioned_writes
  }

  # MetricsConfig.SETTINGS: every function logs its own metrics summary (monitoring.tf reads it).
  metrics_env = {
    HOTPATH_METRICS            = var.metrics
    HOTPATH_METRICS_INTERVAL_S = tostring(var.metrics_interval_s)
  }

  # What both the Write API and the worker read: DatastoreConfig, ShardingConfig and RetryConfig
  # (the backoff), and OperationsConfig (the queue and what its tasks carry).
  operations_common_env = merge(local.datastore_env, {
    HOTPATH_DEFAULT_SHARDS             = tostring(var.default_shards)
    HOTPATH_MAX_SHARDS                 = tostring(var.max_shards)
    HOTPATH_SHARD_WRITE_INTERVAL_MS    = tostring(var.shard_write_interval_ms)
    HOTPATH_RETRY_INITIAL_BACKOFF_MS   = tostring(var.retry_initial_backoff_ms)
    HOTPATH_RETRY_MAX_BACKOFF_MS       = tostring(var.retry_max_backoff_ms)
    HOTPATH_OPERATION_KINDS            = join(",", var.operation_kinds)
    HOTPATH_OPERATIONS_QUEUE           = google_cloud_tasks_queue.operations.id
    HOTPATH_OPERATIONS_WORKER_URL      = local.worker_url
    HOTPATH_OPERATIONS_SERVICE_ACCOUNT = google_service_account.tasks_invoker.email
  })

  # WriteApiConfig.SETTINGS.
  write_api_env = merge(local.operations_common_env, {
    HOTPATH_ALLOWED_KINDS                = join(",", var.allowed_kinds)
    HOTPATH_FLUSH_INTERVAL_MS            = tostring(var.flush_interval_ms)
    HOTPATH_EAGER_BATCH                  = tostring(var.eager_batch)
    HOTPATH_FLUSH_WINDOW_MS              = tostring(var.flush_window_ms)
    HOTPATH_MAX_BATCH                    = tostring(var.max_batch)
    HOTPATH_MAX_IN_FLIGHT                = tostring(var.max_in_flight)
    HOTPATH_RETRY_BUDGET_MS              = tostring(var.retry_budget_ms)
    HOTPATH_OPERATION_REENQUEUE_AFTER_MS = tostring(var.operation_reenqueue_after_ms)
  })

  # WorkerConfig.SETTINGS.
  worker_env = merge(local.operations_common_env, {
    HOTPATH_OIDC_JWKS_URL             = var.oidc_jwks_url
    HOTPATH_OPERATION_RETRY_BUDGET_MS = tostring(var.operation_retry_budget_ms)
  })

  # Not a hotpath setting: the JVM reads it. The Datastore client's HTTP transport keeps only
  # http.maxConnections idle connections per host (JDK default 5), so concurrent requests would
  # keep reconnecting. The Terraform tests allow exactly this variable besides the settings.
  jvm_env = {
    JAVA_TOOL_OPTIONS = "-Dhttp.maxConnections=${var.http_max_connections}"
  }

  # The longest a tick's request runs (WatchdogSettings.tickDuration): its last round starts
  # (N-1)/N of a minute after the tick and may take the target timeout. With several rounds per
  # minute the request lasts about a minute even when all is well, so the function's timeout
  # (and the scheduler's attempt deadline) is raised to cover that, with a margin for start-up.
  watchdog_tick_s    = floor(60 * (var.turn_rounds_per_minute - 1) / var.turn_rounds_per_minute) + var.turn_target_timeout_s
  watchdog_timeout_s = max(var.watchdog_timeout_s, local.watchdog_tick_s + 30)

  # TurnConfig.SETTINGS but the key and the TURN credentials, which come from Secret Manager.
  watchdog_env = merge(local.datastore_env, {
    TURN_TARGETS                  = var.turn_targets_json
    TURN_DOWN_THRESHOLD           = tostring(var.turn_down_threshold)
    TURN_COOLDOWN_SECONDS         = tostring(var.turn_cooldown_s)
    TURN_RESTART_BUDGET_PER_HOUR  = tostring(var.turn_restart_budget_per_hour)
    TURN_PROBE_ATTEMPTS           = tostring(var.turn_probe_attempts)
    TURN_PROBE_SPACING_MS         = tostring(var.turn_probe_spacing_ms)
    TURN_PROBE_TIMEOUT_MS         = tostring(var.turn_probe_timeout_ms)
    TURN_UDP_RTO_MS               = tostring(var.turn_udp_rto_ms)
    TURN_SSH_CONNECT_TIMEOUT_MS   = tostring(var.turn_ssh_connect_timeout_ms)
    TURN_SSH_COMMAND_TIMEOUT_MS   = tostring(var.turn_ssh_command_timeout_ms)
    TURN_SSH_OUTPUT_LIMIT         = tostring(var.turn_ssh_output_limit_chars)
    TURN_RECOVERY_TIMEOUT_SECONDS = tostring(var.turn_recovery_timeout_s)
    TURN_RECOVERY_INTERVAL_MS     = tostring(var.turn_recovery_interval_ms)
    TURN_TARGET_TIMEOUT_SECONDS   = tostring(var.turn_target_timeout_s)
    TURN_INCIDENT_HISTORY         = tostring(var.turn_incident_history)
    TURN_ROUNDS_PER_MINUTE        = tostring(var.turn_rounds_per_minute)
    TURN_TLS_CA_CERTS             = var.turn_tls_ca_certs
    TURN_CERT_WARN_DAYS           = tostring(var.turn_cert_warn_days)
  })
}

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  functions = {
    # Sharded counters, groups and the submit side of operations. Many requests per instance:
    # group commit merges the increments that arrive together, which needs concurrency > 1 and a
    # whole CPU.
    write_api = {
      name                  = local.write_api_name
      description           = "hotpath Write API: sharded counters and groups with group commit, deferred operations."
      entry_point           = "dev.hotpath.functions.WriteApi"
      service_account_email = google_service_account.write_api.email
      memory_mib            = var.write_api_memory_mib
      cpu                   = tostring(var.write_api_vcpus)
      request_concurrency   = var.write_api_request_concurrency
      max_instances         = var.write_api_max_instances
      timeout_s             = var.write_api_timeout_s
      environment_variables = merge(local.write_api_env, local.metrics_env, local.jvm_env)
      secrets               = []
      vpc_connector         = null
      vpc_egress            = null
      timeout_fits          = var.write_api_timeout_s * 1000 > var.retry_budget_ms
      timeout_error         = "write_api_timeout_s must exceed retry_budget_ms, or requests are cut off while still retrying."
    }

    # Applies deferred operations delivered by Cloud Tasks; invocable only by the tasks' service
    # account (iam.tf).
    worker = {
      name                  = local.worker_name
      description           = "hotpath DeferredUpdateWorker: applies deferred operations from the Cloud Tasks queue, exactly once."
      entry_point           = "dev.hotpath.functions.DeferredUpdateWorker"
      service_account_email = google_service_account.worker.email
      memory_mib            = var.worker_memory_mib
      cpu                   = "1"
      request_concurrency   = var.worker_request_concurrency
      max_instances         = var.worker_max_instances
      timeout_s             = var.worker_timeout_s
      environment_variables = merge(local.worker_env, local.metrics_env, local.jvm_env)
      secrets               = []
      vpc_connector         = null
      vpc_egress            = null
      timeout_fits          = var.worker_timeout_s * 1000 > var.operation_retry_budget_ms
      timeout_error         = "worker_timeout_s must exceed operation_retry_budget_ms."
    }

    # One tick (turn_rounds_per_minute rounds) per scheduler call; rounds are long (probes, SSH, recovery) and rare, so one
    # request per instance. A second instance is allowed for a retry overlapping a slow round: the
    # per-target lease in Datastore keeps two rounds from restarting one target.
    turn_watchdog = {
      name                  = local.watchdog_name
      description           = "hotpath TURN watchdog: probes the TURN servers every minute and restarts those that stay down."
      entry_point           = "dev.hotpath.functions.TurnWatchdog"
      service_account_email = google_service_account.watchdog.email
      memory_mib            = var.watchdog_memory_mib
      cpu                   = "1"
      request_concurrency   = 1
      max_instances         = 2
      timeout_s             = local.watchdog_timeout_s
      environment_variables = merge(local.watchdog_env, local.metrics_env)
      # The SSH key always; the TURN credentials of turn-relay (optional) each only when its
      # secret is named (secrets.tf). Keys are literals for the settings check; a list keeps
      # their order.
      secrets = [
        { key = "TURN_SSH_PRIVATE_KEY", secret = var.turn_ssh_key_secret_id, version = var.turn_ssh_key_secret_version, optional = false },
        { key = "TURN_REST_SECRET", secret = var.turn_rest_secret_id, version = var.turn_credential_secret_version, optional = true },
        { key = "TURN_USERNAME", secret = var.turn_username_secret_id, version = var.turn_credential_secret_version, optional = true },
        { key = "TURN_PASSWORD", secret = var.turn_password_secret_id, version = var.turn_credential_secret_version, optional = true },
      ]
      # Optional VPC egress (watchdog_network.tf): every packet, probes and SSH, through the VPC.
      vpc_connector = local.watchdog_vpc ? google_vpc_access_connector.watchdog[0].id : null
      vpc_egress    = local.watchdog_vpc ? "ALL_TRAFFIC" : null
      # 1800 s: the longest attempt deadline Cloud Scheduler allows an HTTP target.
      timeout_fits  = local.watchdog_tick_s < local.watchdog_timeout_s && local.watchdog_timeout_s <= 1800
      timeout_error = "a tick's rounds (turn_target_timeout_s, plus most of a minute when turn_rounds_per_minute > 1) must fit in the watchdog's timeout of at most 1800 s (the scheduler's longest attempt deadline), or a round is cut off while it holds a restart lease."
    }
  }
}

resource "google_cloudfunctions2_function" "function" {
  for_each = local.functions

  project     = var.project_id
  location    = var.region
  name        = each.value.name
  description = each.value.description

  build_config {
    runtime         = "java21"
    entry_point     = each.value.entry_point
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.functions_zip.name
      }
    }
  }

  # Ingress stays open: Cloud Tasks and Cloud Scheduler call from outside any VPC. IAM is the gate
  # (iam.tf): each function has only the invokers it needs.
  service_config {
    service_account_email            = each.value.service_account_email
    available_memory                 = "${each.value.memory_mib}Mi"
    available_cpu                    = each.value.cpu
    max_instance_request_concurrency = each.value.request_concurrency
    max_instance_count               = each.value.max_instances
    min_instance_count               = 0
    timeout_seconds                  = each.value.timeout_s
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    environment_variables            = each.value.environment_variables

    dynamic "secret_environment_variables" {
      for_each = [for s in each.value.secrets : s if !s.optional || s.secret != ""]
      content {
        key        = secret_environment_variables.value.key
        project_id = var.project_id
        secret     = secret_environment_variables.value.secret
        version    = secret_environment_variables.value.version
      }
    }

    vpc_connector                 = each.value.vpc_connector
    vpc_connector_egress_settings = each.value.vpc_egress
  }

  lifecycle {
    precondition {
      condition     = each.value.timeout_fits
      error_message = each.value.timeout_error
    }
  }

  depends_on = [
    google_project_service.required,
    google_project_iam_member.build,
    google_secret_manager_secret_iam_member.watchdog_reads_ssh_key,
    google_secret_manager_secret_iam_member.watchdog_reads_turn_credentials,
  ]
}

# The functions were three resources before; existing deployments keep them under the new addresses.
moved {
  from = google_cloudfunctions2_function.write_api
  to   = google_cloudfunctions2_function.function["write_api"]
}

moved {
  from = google_cloudfunctions2_function.worker
  to   = google_cloudfunctions2_function.function["worker"]
}

moved {
  from = google_cloudfunctions2_function.turn_watchdog
  to   = google_cloudfunctions2_function.function["turn_watchdog"]
}
