# The APIs the bundle uses, enabled before anything that needs them. Left enabled on destroy:
# other workloads in the project may depend on them.
locals {
  required_apis = [
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "cloudtasks.googleapis.com",
    "cloudscheduler.googleapis.com",
    "datastore.googleapis.com",
    "firestore.googleapis.com",
    "secretmanager.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "iam.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "storage.googleapis.com",
  ]
}

resource "google_project_service" "required" {
  # Serverless VPC Access and Compute only when the watchdog's VPC egress is on (watchdog_network.tf).
  for_each = toset(concat(local.required_apis, local.watchdog_vpc ? ["vpcaccess.googleapis.com", "compute.googleapis.com"] : []))

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}
