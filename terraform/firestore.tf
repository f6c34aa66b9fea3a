# Firestore in Datastore mode. OPTIMISTIC concurrency: a transaction takes no locks and fails
# with ABORTED when another commit touched what it read. hotpath is built for exactly that
# answer: it retries with jitter on another shard, and the deferred worker retries whole
# operations. Pessimistic locking would instead make writers to a hot entity queue behind each
# other's locks until they time out, which is the latency hotpath exists to avoid.
resource "google_firestore_database" "datastore" {
  count = var.create_database ? 1 : 0

  project                 = var.project_id
  name                    = var.database_id
  location_id             = var.database_location_id
  type                    = "DATASTORE_MODE"
  concurrency_mode        = "OPTIMISTIC"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  deletion_policy         = "ABANDON"

  depends_on = [google_project_service.required]
}

locals {
  # The database the functions use: the one created above, or an existing one named by variable.
  database_id = var.create_database ? google_firestore_database.datastore[0].name : var.database_id
}
