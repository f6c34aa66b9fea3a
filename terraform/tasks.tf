# The queue that carries deferred operations to the worker. Rate limits protect Datastore and the
# worker; retries back off exponentially. The worker answers 200 for every final outcome (applied,
# finished before, failed for good, unknown id), so only transient trouble (503) is retried. The
# task's target URL and OIDC token are set per task by the Write API (HOTPATH_OPERATIONS_*).
resource "google_cloud_tasks_queue" "operations" {
  project  = var.project_id
  name     = "${var.name_prefix}-operations"
  location = var.region

  rate_limits {
    max_dispatches_per_second = var.queue_max_dispatches_per_s
    max_concurrent_dispatches = var.queue_max_concurrent_dispatches
  }

  retry_config {
    max_attempts       = var.queue_max_attempts
    max_retry_duration = "${var.queue_max_retry_duration_s}s"
    min_backoff        = "${var.queue_min_backoff_s}s"
    max_backoff        = "${var.queue_max_backoff_s}s"
    max_doublings      = 5
  }

  depends_on = [google_project_service.required]
}
