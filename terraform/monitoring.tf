# TURN restarts that failed or were given up, counted from the watchdog's own log lines
# (WatchdogEngine): "TURN target <name> incident <n> STILL_DOWN (restart: …)" at WARNING when a
# restart did not bring the target back, and "TURN target <name> GIVEN_UP: …" at SEVERE (ERROR in
# Cloud Logging) when its restart budget is spent. The Functions Framework writes java.util.logging
# records as JSON, so the text is jsonPayload.message; textPayload is matched too in case a line
# arrives unstructured.
#
# Diagnoses a restart does not cure are alerted the same way: "TURN target <name> MISCONFIGURED: …"
# (401 to a correct credential), "… DEGRADED: …" (508/486, out of capacity) and "… MISBEHAVING: …"
# (another STUN/TURN error answer such as 403 or 442, or relayed bytes lost after a restart did not
# cure it) at SEVERE once per problem, and "… CERTIFICATE_EXPIRING: …" at WARNING every round while the TLS certificate is within
# TURN_CERT_WARN_DAYS of its expiry (or past it). GIVEN_UP is logged once per episode.
locals {
  turn_failure_pattern = "TURN target [^ ]+ (incident [0-9]+ STILL_DOWN|GIVEN_UP:|MISCONFIGURED:|DEGRADED:|MISBEHAVING:|CERTIFICATE_EXPIRING:)"
}

resource "google_logging_metric" "turn_restart_failures" {
  project     = var.project_id
  name        = "${var.name_prefix}_turn_restart_failures"
  description = "TURN targets whose SSH restart failed (STILL_DOWN), that were given up (GIVEN_UP), misconfigured, out of capacity (DEGRADED), answering with errors (MISBEHAVING) or near certificate expiry, by target and outcome."
  filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=\"${google_cloudfunctions2_function.function["turn_watchdog"].name}\"",
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
      description = "STILL_DOWN (the restart did not bring it back), GIVEN_UP (restart budget spent), MISCONFIGURED (credentials rejected), DEGRADED (capacity), MISBEHAVING (error answers, lost relayed bytes) or CERTIFICATE_EXPIRING."
    }
  }

  label_extractors = {
    target  = "REGEXP_EXTRACT(jsonPayload.message, \"TURN target ([^ ]+) \")"
    outcome = "REGEXP_EXTRACT(jsonPayload.message, \"(STILL_DOWN|GIVEN_UP|MISCONFIGURED|DEGRADED|MISBEHAVING|CERTIFICATE_EXPIRING)\")"
  }

  depends_on = [google_project_service.required]
}

resource "google_monitoring_alert_policy" "turn_restart_failures" {
  project      = var.project_id
  display_name = "${var.name_prefix}: TURN restart failed, given up, misconfigured, degraded, misbehaving or certificate expiring"
  combiner     = "OR"
  severity     = "ERROR"

  conditions {
    display_name = "A TURN target stayed down after a restart, was given up, rejects our credentials, is out of capacity, or its certificate expires soon"

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
    content   = "A TURN server stayed down after the watchdog restarted it over SSH, or it was restarted too often within an hour and the watchdog gave up on it. Its incidents: `curl -H \"Authorization: Bearer $(gcloud auth print-identity-token)\" ${google_cloudfunctions2_function.function["turn_watchdog"].service_config[0].uri}` (as an account with run.invoker on the watchdog). The watchdog restarts a given-up target again once a round sees it healthy."
  }

  notification_channels = var.alert_notification_channels
}
