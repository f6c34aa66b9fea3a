# The watchdog's SSH private key lives in Secret Manager, in the secret named by
# turn_ssh_key_secret_id. Terraform neither creates nor reads its value: the README's gcloud steps
# create the secret and add the key as a version before `terraform apply`, so the key never
# appears in a .tf file, a plan or the state. Terraform only reads the secret's metadata, to fail
# early when it is missing, and grants the watchdog (and no one else) access to it (iam.tf).
data "google_secret_manager_secret" "turn_ssh_key" {
  project   = var.project_id
  secret_id = var.turn_ssh_key_secret_id
}
