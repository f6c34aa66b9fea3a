output "write_api_url" {
  description = "URL of the Write API (private unless write_api_invokers names callers: send an identity token)."
  value       = google_cloudfunctions2_function.function["write_api"].service_config[0].uri
}

output "worker_url" {
  description = "URL of the deferred-update worker; only the Cloud Tasks queue's service account may call it."
  value       = google_cloudfunctions2_function.function["worker"].service_config[0].uri
}

output "turn_watchdog_url" {
  description = "URL of the TURN watchdog; only the scheduler's service account may call it."
  value       = google_cloudfunctions2_function.function["turn_watchdog"].service_config[0].uri
}

output "operations_queue" {
  description = "Full name of the Cloud Tasks queue of deferred operations."
  value       = google_cloud_tasks_queue.operations.id
}

output "watchdog_scheduler_job" {
  description = "Full name of the Cloud Scheduler job that runs the watchdog's rounds every minute."
  value       = google_cloud_scheduler_job.turn_watchdog.id
}

output "database_id" {
  description = "The Datastore-mode database the functions use."
  value       = local.database_id
}
