# Optional VPC egress for the watchdog, for TURN servers on VMs in a VPC: with
# watchdog_vpc_connector_subnetwork set, a Serverless VPC Access connector on that /28 subnetwork
# carries all of the watchdog's egress (vpc_connector_egress_settings = ALL_TRAFFIC, functions.tf),
# so probes and SSH reach the servers' internal addresses and port 22 need not be open to the
# internet.
#
# Why a connector and not Direct VPC egress: google_cloudfunctions2_function in the google provider
# 6.x (checked against 6.50's schema) has only vpc_connector and vpc_connector_egress_settings in
# service_config; Direct VPC egress (network, subnetwork, egress ALL_TRAFFIC) is settable on a
# function only with gcloud (`gcloud functions deploy --network --subnet --vpc-egress=all`) or on
# google_cloud_run_v2_service.template.vpc_access. When the provider exposes it for functions,
# this file is the one to change. Servers outside the VPC: see README.md (Cloud NAT with a static
# address, which the servers' firewalls then admit).
locals {
  watchdog_vpc = var.watchdog_vpc_connector_subnetwork != ""
}

resource "google_vpc_access_connector" "watchdog" {
  count   = local.watchdog_vpc ? 1 : 0
  project = var.project_id
  region  = var.region
  # Connector names are at most 25 characters.
  name          = "${var.name_prefix}-turn-vpc"
  machine_type  = "e2-micro"
  min_instances = 2
  max_instances = 3

  subnet {
    name       = var.watchdog_vpc_connector_subnetwork
    project_id = var.project_id
  }

  depends_on = [google_project_service.required]
}

data "google_compute_subnetwork" "watchdog_connector" {
  count   = local.watchdog_vpc ? 1 : 0
  project = var.project_id
  region  = var.region
  name    = var.watchdog_vpc_connector_subnetwork
}

# Example firewall rule: the TURN VMs (by tag) admit SSH and the probe ports only from the
# connector's subnetwork, the only source of the watchdog's packets.
resource "google_compute_firewall" "watchdog_to_turn" {
  count       = local.watchdog_vpc && length(var.turn_firewall_target_tags) > 0 ? 1 : 0
  project     = var.project_id
  name        = "${var.name_prefix}-watchdog-to-turn"
  description = "hotpath TURN watchdog: SSH and probes from its VPC connector subnetwork only."
  network     = var.watchdog_vpc_network
  direction   = "INGRESS"
  priority    = 1000

  source_ranges = [data.google_compute_subnetwork.watchdog_connector[0].ip_cidr_range]
  target_tags   = var.turn_firewall_target_tags

  allow {
    protocol = "tcp"
    ports    = var.turn_firewall_tcp_ports
  }

  allow {
    protocol = "udp"
    ports    = var.turn_firewall_udp_ports
  }

  lifecycle {
    precondition {
      condition     = var.watchdog_vpc_network != ""
      error_message = "watchdog_vpc_network must name the VPC network for the firewall rule."
    }
  }
}
