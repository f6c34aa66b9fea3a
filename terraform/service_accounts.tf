# One identity per job, each with only what that job needs (see iam.tf).
resource "google_service_account" "write_api" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-write-api"
  display_name = "hotpath Write API"
  description  = "Runs the Write API: reads and writes Datastore, enqueues deferred operations."

  depends_on = [google_project_service.required]
}

resource "google_service_account" "worker" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-worker"
  display_name = "hotpath deferred-update worker"
  description  = "Runs the task-triggered worker that applies deferred operations in Datastore."

  depends_on = [google_project_service.required]
}

resource "google_service_account" "watchdog" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-watchdog"
  display_name = "hotpath TURN watchdog"
  description  = "Runs the TURN watchdog: keeps its state in Datastore, reads the SSH key secret."

  depends_on = [google_project_service.required]
}

resource "google_service_account" "tasks_invoker" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-tasks-invoker"
  display_name = "hotpath Cloud Tasks invoker"
  description  = "Identity in the OIDC token Cloud Tasks sends to the worker; may only invoke it."

  depends_on = [google_project_service.required]
}

resource "google_service_account" "scheduler_invoker" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-scheduler"
  display_name = "hotpath Cloud Scheduler invoker"
  description  = "Identity in the OIDC token Cloud Scheduler sends to the watchdog; may only invoke it."

  depends_on = [google_project_service.required]
}

resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-build"
  display_name = "hotpath function builds"
  description  = "Cloud Build identity that turns the uploaded jar into the functions' images."

  depends_on = [google_project_service.required]
}
