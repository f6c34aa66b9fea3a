# The deployable zip that `mvn package` builds: functions/target/hotpath-functions.zip holds the
# one fat jar at its root, the layout Cloud Functions' Java runtime deploys as is. The object
# name carries the zip's hash, so a new build changes it and the functions redeploy.
resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true

  depends_on = [google_project_service.required]
}

resource "google_storage_bucket_object" "functions_zip" {
  bucket = google_storage_bucket.source.name
  name   = "hotpath-functions-${filemd5(var.functions_zip_path)}.zip"
  source = var.functions_zip_path
}
