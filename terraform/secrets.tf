# The watchdog's SSH private key lives in Secret Manager, in the secret named by
# turn_ssh_key_secret_id. Terraform neither creates nor reads its value: the README's gcloud steps
# create the secret and add the key as a version before `terraform apply`, so the key never
# appears in a .tf file, a plan or the state. Terraform only reads the secret's metadata, to fail
# early when it is missing, and grants the watchdog (and no one else) access to it (iam.tf).
data "google_secret_manager_secret" "turn_ssh_key" {
  project   = var.project_id
  secret_id = var.turn_ssh_key_secret_id
}

# The TURN credentials turn-relay authenticates with (TURN_REST_SECRET, or TURN_USERNAME and
# TURN_PASSWORD), each in an existing secret named by its variable, created and filled the same way
# as the SSH key (README.md). Only the named ones are read.
locals {
  turn_credential_secrets = {
    for key, id in {
      TURN_REST_SECRET = var.turn_rest_secret_id
      TURN_USERNAME    = var.turn_username_secret_id
      TURN_PASSWORD    = var.turn_password_secret_id
    } : key => id if id != ""
  }
}

data "google_secret_manager_secret" "turn_credentials" {
  for_each  = local.turn_credential_secrets
  project   = var.project_id
  secret_id = each.value
}
