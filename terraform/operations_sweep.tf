# The operations sweep: every minute Cloud Scheduler POSTs to the Write API's
# /v1/operations:sweep, which re-ensures the task of every operation still PENDING after
# HOTPATH_OPERATION_REENQUEUE_AFTER_MS — the repair for a Write API instance that died between
# recording an operation and creating its task. The job calls with an OIDC token of its own
# service account, whose only right is invoking the Write API (private otherwise). The sweep is
# idempotent and bounded (500 operations per call), so a retried or overlapping call is harmless.
resource "google_service_account" "operations_sweeper" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-sweeper"
  display_name = "hotpath operations sweep"
  description  = "Identity in the OIDC token Cloud Scheduler sends to the Write API's sweep; may only invoke the Write API."

  depends_on = [google_project_service.required]
}

resource "google_cloud_run_service_iam_member" "sweeper_invokes_write_api" {
  project  = var.project_id
  location = google_cloudfunctions2_function.function["write_api"].location
  service  = google_cloudfunctions2_function.function["write_api"].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.operations_sweeper.email}"
}

resource "google_cloud_scheduler_job" "operations_sweep" {
  project          = var.project_id
  region           = var.region
  name             = "${var.name_prefix}-operations-sweep"
  description      = "Re-ensures the Cloud Tasks task of deferred operations left PENDING by a crash."
  schedule         = "* * * * *"
  time_zone        = "Etc/UTC"
  attempt_deadline = "${var.write_api_timeout_s}s"

  retry_config {
    retry_count          = 1
    min_backoff_duration = "10s"
    max_backoff_duration = "30s"
    max_retry_duration   = "0s"
    max_doublings        = 1
  }

  http_target {
    http_method = "POST"
    uri         = "${google_cloudfunctions2_function.function["write_api"].service_config[0].uri}/v1/operations:sweep"

    oidc_token {
      service_account_email = google_service_account.operations_sweeper.email
      # Cloud Run checks the audience against the service's URL, without the path.
      audience = google_cloudfunctions2_function.function["write_api"].service_config[0].uri
    }
  }

  depends_on = [google_project_service.required, google_cloud_run_service_iam_member.sweeper_invokes_write_api]
}
