# Alert policies on the Write API, the operations pipeline and the TURN watchdog (the TURN restart
# alert is in monitoring.tf). Each says in its documentation what to check first; README "Operating
# hotpath" explains them at more length. All notify var.alert_notification_channels.
locals {
  write_api_service = google_cloudfunctions2_function.function["write_api"].name
  write_api_requests = join(" AND ", [
    "metric.type=\"run.googleapis.com/request_count\"",
    "resource.type=\"cloud_run_revision\"",
    "resource.label.service_name=\"${local.write_api_service}\"",
  ])
  logs_link = "https://console.cloud.google.com/logs/query?project=${var.project_id}"
}

resource "google_monitoring_alert_policy" "write_api_5xx" {
  project      = var.project_id
  display_name = "${var.name_prefix}: Write API 5xx ratio above ${var.alert_write_api_5xx_ratio * 100} %"
  combiner     = "OR"
  severity     = "ERROR"

  conditions {
    display_name = "5xx / all Write API requests over 5 minutes"

    condition_threshold {
      filter             = "${local.write_api_requests} AND metric.label.response_code_class=\"5xx\""
      denominator_filter = local.write_api_requests
      comparison         = "COMPARISON_GT"
      threshold_value    = var.alert_write_api_5xx_ratio
      duration           = "300s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }

      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "The Write API answers 5xx. Check first the dashboard's **503s by cause**: `retry_budget_exhausted` means writes found no shard within HOTPATH_RETRY_BUDGET_MS — look at **contention aborts** and **shards** (a counter at max_shards); `datastore_unavailable` means Datastore itself failed (the Datastore API's error rate); `queue_unavailable` means Cloud Tasks refused operations; `shutting_down` is instances draining (deploys, scale-in) and passes. A 500 is a bug: find the `request failed unexpectedly` ERROR records in [Logs Explorer](${local.logs_link}) under service ${local.write_api_service}."
  }

  notification_channels = var.alert_notification_channels
}

resource "google_monitoring_alert_policy" "write_api_latency" {
  project      = var.project_id
  display_name = "${var.name_prefix}: Write API p99 latency above ${var.alert_write_api_p99_latency_ms} ms"
  combiner     = "OR"
  severity     = "WARNING"

  conditions {
    display_name = "p99 of Write API request latency for 5 minutes"

    condition_threshold {
      filter          = "metric.type=\"run.googleapis.com/request_latencies\" AND resource.type=\"cloud_run_revision\" AND resource.label.service_name=\"${local.write_api_service}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_write_api_p99_latency_ms
      duration        = "300s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_PERCENTILE_99"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Write API requests are slow. Check first the dashboard's **flush latency p99** beside **request latency**: if flushes are slow too, Datastore is (the contention aborts and Datastore calls panels say whether hotpath is retrying); if flushes are fast, the time is spent before the flush — instance starts (Cloud Run's container startup latency) or CPU (requests per instance against write_api_request_concurrency)."
  }

  notification_channels = var.alert_notification_channels
}

resource "google_monitoring_alert_policy" "operations" {
  project      = var.project_id
  display_name = "${var.name_prefix}: an operation FAILED, or one is PENDING longer than ${var.alert_oldest_pending_s} s"
  combiner     = "OR"
  severity     = "ERROR"

  conditions {
    display_name = "An operation was marked FAILED"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.operation_failures.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  conditions {
    display_name = "The oldest PENDING operation the sweep sees is older than the bound"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.summary["oldest_pending_s"].name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_oldest_pending_s
      duration        = "0s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_PERCENTILE_99"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }

  alert_strategy {
    auto_close = "3600s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A deferred operation failed or is stuck. For FAILED: the worker's ERROR record `operation <id> FAILED: <reason>` in [Logs Explorer](${local.logs_link}) names it and why (a precondition that did not hold, a kind taken off HOTPATH_OPERATION_KINDS, Datastore refusing the writes); `GET /v1/operations/<id>` shows it. For old PENDING: check the queue first (the dashboard's **queue depth**; is the queue paused? is the worker answering 5xx or 401 — its OIDC settings?), then the sweep's WARNING records (`sweep: could not ensure the task`)."
  }

  notification_channels = var.alert_notification_channels
}

resource "google_monitoring_alert_policy" "queue_backlog" {
  project      = var.project_id
  display_name = "${var.name_prefix}: operations queue backlog above ${var.alert_queue_depth}"
  combiner     = "OR"
  severity     = "WARNING"

  conditions {
    display_name = "Tasks in the operations queue for 10 minutes"

    condition_threshold {
      filter          = "metric.type=\"cloudtasks.googleapis.com/queue/depth\" AND resource.type=\"cloud_tasks_queue\" AND resource.label.queue_id=\"${google_cloud_tasks_queue.operations.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_queue_depth
      duration        = "600s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MEAN"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Operations arrive faster than the worker applies them, or the worker refuses them. Check first the worker's request count by response code on the dashboard: 5xx or 401/403 mean it refuses (Datastore trouble, OIDC settings) and Cloud Tasks retries with backoff; all 2xx means it is just behind — raise queue_max_dispatches_per_s or worker_max_instances."
  }

  notification_channels = var.alert_notification_channels
}

resource "google_monitoring_alert_policy" "watchdog_absent" {
  project      = var.project_id
  display_name = "${var.name_prefix}: the TURN watchdog has not run for 5 minutes"
  combiner     = "OR"
  severity     = "ERROR"

  conditions {
    display_name = "No watchdog metric summary with a round for 5 minutes"

    condition_absent {
      filter   = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.watchdog_heartbeat.name}\" AND resource.type=\"cloud_run_revision\""
      duration = "300s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "No TURN watchdog round was recorded for 5 minutes, so nothing restarts a TURN server that goes down. Check first the Cloud Scheduler job ${google_cloud_scheduler_job.turn_watchdog.name} (paused? its last attempt's status), then the watchdog's own log in [Logs Explorer](${local.logs_link}) (service ${google_cloudfunctions2_function.function["turn_watchdog"].name}): a 5xx every minute means it fails before a round, e.g. a bad TURN_TARGETS or Datastore unreachable. With HOTPATH_METRICS off this alert always fires: set metrics = \"on\"."
  }

  notification_channels = var.alert_notification_channels
}
