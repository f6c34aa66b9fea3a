# TURN restarts that failed or were given up, counted from the watchdog's own log lines
# (WatchdogEngine): "TURN target <name> incident <n> STILL_DOWN (restart: …)" at WARNING when a
# restart did not bring the target back, and "TURN target <name> GIVEN_UP: …" at SEVERE (ERROR in
# Cloud Logging) when its restart budget is spent. The Functions Framework writes java.util.logging
# records as JSON, so the text is jsonPayload.message; textPayload is matched too in case a line
# arrives unstructured.
locals {
  turn_failure_pattern = "TURN target [^ ]+ (incident [0-9]+ STILL_DOWN|GIVEN_UP:)"
}

resource "google_logging_metric" "turn_restart_failures" {
  project     = var.project_id
  name        = "${var.name_prefix}_turn_restart_failures"
  description = "TURN targets whose SSH restart failed (STILL_DOWN) or that were given up (GIVEN_UP), by target and outcome."
  filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=\"${google_cloudfunctions2_function.turn_watchdog.name}\"",
    "severity>=WARNING",
    "(jsonPayload.message=~\"${local.turn_failure_pattern}\" OR textPayload=~\"${local.turn_failure_pattern}\")",
  ])

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "TURN restart failures"

    labels {
      key         = "target"
      value_type  = "STRING"
      description = "Name of the TURN target (TURN_TARGETS[].name)."
    }

    labels {
      key         = "outcome"
      value_type  = "STRING"
      description = "STILL_DOWN (the restart did not bring it back) or GIVEN_UP (restart budget spent)."
    }
  }

  label_extractors = {
    target  = "REGEXP_EXTRACT(jsonPayload.message, \"TURN target ([^ ]+) \")"
    outcome = "REGEXP_EXTRACT(jsonPayload.message, \"(STILL_DOWN|GIVEN_UP)\")"
  }

  depends_on = [google_project_service.required]
}

resource "google_monitoring_alert_policy" "turn_restart_failures" {
  project      = var.project_id
  display_name = "${var.name_prefix}: TURN restart failed or given up"
  combiner     = "OR"
  severity     = "ERROR"

  conditions {
    display_name = "A TURN target stayed down after a restart, or was given up"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.turn_restart_failures.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.target", "metric.label.outcome"]
      }

      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A TURN server stayed down after the watchdog restarted it over SSH, or it was restarted too often within an hour and the watchdog gave up on it. Its incidents: `curl -H \"Authorization: Bearer $(gcloud auth print-identity-token)\" ${google_cloudfunctions2_function.turn_watchdog.service_config[0].uri}` (as an account with run.invoker on the watchdog). The watchdog restarts a given-up target again once a round sees it healthy."
  }

  notification_channels = var.alert_notification_channels
}
