# Runs the watchdog every minute (turn_rounds_per_minute rounds in one call), authenticated with an
# OIDC token of the scheduler's own service account (the only identity allowed to invoke the
# watchdog). A failed round (500: the watchdog could not record it) is retried once within the
# minute; the next minute's rounds run anyway, and overlapping rounds are safe (per-target restart
# leases).
resource "google_cloud_scheduler_job" "turn_watchdog" {
  project          = var.project_id
  region           = var.region
  name             = "${var.name_prefix}-turn-watchdog"
  description      = "Probes the TURN servers and restarts those that are down."
  schedule         = "* * * * *"
  time_zone        = "Etc/UTC"
  attempt_deadline = "${local.watchdog_timeout_s}s"

  retry_config {
    retry_count          = 1
    min_backoff_duration = "10s"
    max_backoff_duration = "30s"
    max_retry_duration   = "0s"
    max_doublings        = 1
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.function["turn_watchdog"].service_config[0].uri

    oidc_token {
      service_account_email = google_service_account.scheduler_invoker.email
      audience              = google_cloudfunctions2_function.function["turn_watchdog"].service_config[0].uri
    }
  }

  depends_on = [google_project_service.required, google_cloud_run_service_iam_member.scheduler_invokes_watchdog]
}
