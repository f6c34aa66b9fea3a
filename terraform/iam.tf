# Least privilege: each identity gets only what its job needs, on the narrowest resource.
locals {
  datastore_users = {
    write_api = "serviceAccount:${google_service_account.write_api.email}"
    worker    = "serviceAccount:${google_service_account.worker.email}"
    watchdog  = "serviceAccount:${google_service_account.watchdog.email}"
  }
}

# Datastore reads and writes, for the functions' own database only.
resource "google_project_iam_member" "datastore_user" {
  for_each = local.datastore_users

  project = var.project_id
  role    = "roles/datastore.user"
  member  = each.value

  condition {
    title       = "hotpath database only"
    description = "Limits Datastore access to the database hotpath uses."
    expression  = "resource.name == \"projects/${var.project_id}/databases/${local.database_id}\""
  }
}

# The build identity: read the uploaded source, write the image and the build log.
resource "google_project_iam_member" "build" {
  project = var.project_id
  role    = "roles/cloudbuild.builds.builder"
  member  = "serviceAccount:${google_service_account.build.email}"
}

# Only the Write API enqueues, and only on the operations queue.
resource "google_cloud_tasks_queue_iam_member" "write_api_enqueues" {
  project  = var.project_id
  location = google_cloud_tasks_queue.operations.location
  name     = google_cloud_tasks_queue.operations.name
  role     = "roles/cloudtasks.enqueuer"
  member   = "serviceAccount:${google_service_account.write_api.email}"
}

# The Write API creates tasks that carry an OIDC token of the tasks invoker: it must be allowed to
# act as that account (and as no other).
resource "google_service_account_iam_member" "write_api_acts_as_tasks_invoker" {
  service_account_id = google_service_account.tasks_invoker.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.write_api.email}"
}

# Invoker rights live on the functions' Cloud Run services (roles/run.invoker is not accepted on a
# 2nd-gen function itself). The worker: only Cloud Tasks' identity.
resource "google_cloud_run_service_iam_member" "tasks_invoke_worker" {
  project  = var.project_id
  location = google_cloudfunctions2_function.function["worker"].location
  service  = google_cloudfunctions2_function.function["worker"].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.tasks_invoker.email}"
}

# The watchdog: only Cloud Scheduler's identity.
resource "google_cloud_run_service_iam_member" "scheduler_invokes_watchdog" {
  project  = var.project_id
  location = google_cloudfunctions2_function.function["turn_watchdog"].location
  service  = google_cloudfunctions2_function.function["turn_watchdog"].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler_invoker.email}"
}

# The Write API: private unless write_api_invokers names callers ("allUsers" only if listed there).
resource "google_cloud_run_service_iam_member" "write_api_invokers" {
  for_each = toset(var.write_api_invokers)

  project  = var.project_id
  location = google_cloudfunctions2_function.function["write_api"].location
  service  = google_cloudfunctions2_function.function["write_api"].name
  role     = "roles/run.invoker"
  member   = each.value
}

# Only the watchdog reads the SSH key, and only this secret.
resource "google_secret_manager_secret_iam_member" "watchdog_reads_ssh_key" {
  project   = var.project_id
  secret_id = data.google_secret_manager_secret.turn_ssh_key.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.watchdog.email}"

  depends_on = [google_project_service.required]
}

# ...and the TURN credential secrets that are named, each on its own secret.
resource "google_secret_manager_secret_iam_member" "watchdog_reads_turn_credentials" {
  for_each  = data.google_secret_manager_secret.turn_credentials
  project   = var.project_id
  secret_id = each.value.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.watchdog.email}"

  depends_on = [google_project_service.required]
}
