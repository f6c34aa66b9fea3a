# hotpath's own metrics, as log-based metrics read from the records MetricsEmitter writes (no
# exporter dependency; see dev.hotpath.shared.metrics.MetricsEmitter). Each function instance logs,
# per interval (HOTPATH_METRICS_INTERVAL_S), records whose message is "hotpath metrics " and compact
# JSON, e.g.
#   hotpath metrics {"hotpath_metrics":"name","family":"counter","name":"likes","acknowledged":412,…}
# The invoker's JSON log handler puts that text in jsonPayload.message, so the fields are matched
# there with regular expressions ("[{,].<field>.:" stands for ,"<field>": without quoting quotes), which
# also works under a handler that lifts the fields into jsonPayload itself. Field names are
# SummaryFields in the code; TerraformMetricsTest checks every field extracted here is one.
#
# A field that carries a count becomes a DISTRIBUTION metric with value_extractor: its _sum per
# alignment period is the count over the fleet (the dashboard charts it with PromQL's rate(…_sum)),
# its percentiles describe per-instance gauges (shards, oldest PENDING age, probe round trip).
locals {
  metrics_message = "jsonPayload.message=~\"^hotpath metrics [{].hotpath_metrics.:."

  # The labels a summary metric may have: string fields of the records, whose values are names
  # (Names: [A-Za-z0-9._-]), statuses or causes.
  label_extractors = {
    family = "REGEXP_EXTRACT(jsonPayload.message, \"[{,].family.:.([-._A-Za-z0-9]+)\")"
    name   = "REGEXP_EXTRACT(jsonPayload.message, \"[{,].name.:.([-._A-Za-z0-9]+)\")"
    cause  = "REGEXP_EXTRACT(jsonPayload.message, \"[{,].cause.:.([-._A-Za-z0-9]+)\")"
    target = "REGEXP_EXTRACT(jsonPayload.message, \"[{,].target.:.([-._A-Za-z0-9]+)\")"
    status = "REGEXP_EXTRACT(jsonPayload.message, \"[{,].status.:.([-._A-Za-z0-9]+)\")"
  }

  # key = the metric's name after the prefix; record = the record kind; field = the value;
  # labels = fields extracted as labels (bounded: at most 5 names + "other" per family, 3 causes,
  # the configured TURN targets). Every metric also has resource.label.service_name (the function).
  summary_metrics = {
    acknowledged = {
      record      = "name", field = "acknowledged", labels = ["family", "name"], unit = "1"
      description = "Increments (counters) or appends (groups) acknowledged in the interval, for the 5 hottest names of an instance and the rest as \"other\"."
    }
    commits = {
      record      = "name", field = "commits", labels = ["family", "name"], unit = "1"
      description = "Commits that carried them (acknowledged / commits = items per commit)."
    }
    name_unavailable = {
      record      = "name", field = "unavailable", labels = ["family", "name"], unit = "1"
      description = "Callers of a counter or group answered 503 because the retry budget ran out."
    }
    shards = {
      record      = "name", field = "shards", labels = ["family", "name"], unit = "1"
      description = "Shard count an instance writes a hot counter or group across (a gauge: use its max)."
    }
    unavailable = {
      record      = "unavailable", field = "count", labels = ["cause"], unit = "1"
      description = "503 answers in the interval by cause: datastore_unavailable, retry_budget_exhausted, queue_unavailable, shutting_down, operations_not_configured, other (the cause of each 503's WARNING record)."
    }
    datastore_calls = {
      record      = "summary", field = "datastore_calls", labels = [], unit = "1"
      description = "Datastore RPCs the Write API's writers made."
    }
    contention_aborts = {
      record      = "summary", field = "contention_aborts", labels = [], unit = "1"
      description = "Writes Datastore refused for contention (then retried on another shard)."
    }
    shard_growths = {
      record      = "summary", field = "shard_growths", labels = [], unit = "1"
      description = "Times a counter's or group's shard count was raised."
    }
    flushes = {
      record      = "summary", field = "flushes", labels = [], unit = "1"
      description = "Flushes (group commits) acknowledged."
    }
    flush_p99_ms = {
      record      = "summary", field = "flush_p99_ms", labels = [], unit = "ms"
      description = "Per instance and interval, the 99th percentile of flush latency (first attempt to acknowledged commit), as its histogram bucket's upper bound."
    }
    flush_sum_ms = {
      record      = "summary", field = "flush_sum_ms", labels = [], unit = "ms"
      description = "Sum of flush latencies (with flushes: the mean)."
    }
    operations_submitted = {
      record      = "summary", field = "operations_submitted", labels = [], unit = "1"
      description = "Operations accepted by POST /v1/operations."
    }
    operations_done = {
      record      = "summary", field = "operations_done", labels = [], unit = "1"
      description = "Operations the worker applied (DONE)."
    }
    operations_failed = {
      record      = "summary", field = "operations_failed", labels = [], unit = "1"
      description = "Operations the worker marked FAILED."
    }
    operations_reenqueued = {
      record      = "summary", field = "operations_reenqueued", labels = [], unit = "1"
      description = "PENDING operations whose task the sweep enqueued again."
    }
    oldest_pending_s = {
      record      = "summary", field = "oldest_pending_s", labels = [], unit = "s"
      description = "Age of the oldest PENDING operation older than the sweep's age, as the latest sweep saw it (0: none)."
    }
    watchdog_rounds = {
      record      = "summary", field = "watchdog_rounds", labels = [], unit = "1"
      description = "TURN watchdog rounds run."
    }
    probe_ms = {
      record      = "target", field = "probe_ms", labels = ["target", "status"], unit = "ms"
      description = "A TURN target's probe round trip (the slowest probe that answered) and its status after the round."
    }
    target_status = {
      record      = "target", field = "status", labels = ["target", "status"], unit = "1"
      description = "One per TURN target and interval with its latest status (UP, DOWN, RESTARTING, GIVEN_UP, …): count by status."
    }
  }
}

resource "google_logging_metric" "summary" {
  for_each = local.summary_metrics

  project     = var.project_id
  name        = "${var.name_prefix}_${each.key}"
  description = each.value.description
  filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "${local.metrics_message}${each.value.record}.\"",
    "jsonPayload.message=~\"[{,].${each.value.field}.:\"",
  ])

  # A count field's number; a status (target_status) has none and counts entries instead.
  value_extractor = each.value.field == "status" ? null : "REGEXP_EXTRACT(jsonPayload.message, \"[{,].${each.value.field}.:([0-9]+)\")"

  dynamic "bucket_options" {
    for_each = each.value.field == "status" ? [] : [1]
    content {
      exponential_buckets {
        num_finite_buckets = 40
        growth_factor      = 2
        scale              = 1
      }
    }
  }

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = each.value.field == "status" ? "INT64" : "DISTRIBUTION"
    unit         = each.value.unit
    display_name = "hotpath ${replace(each.key, "_", " ")}"

    dynamic "labels" {
      for_each = each.value.labels
      content {
        key         = labels.value
        value_type  = "STRING"
        description = "The record's ${labels.value} field."
      }
    }
  }

  label_extractors = { for label in each.value.labels : label => local.label_extractors[label] }

  depends_on = [google_project_service.required]
}

# One ERROR record per FAILED operation (OperationApplier: "operation <id> FAILED: <reason>"),
# counted so that a single failure alerts at once, whatever the summary interval.
resource "google_logging_metric" "operation_failures" {
  project     = var.project_id
  name        = "${var.name_prefix}_operation_failures"
  description = "Operations the worker marked FAILED, one per ERROR record."
  filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=\"${google_cloudfunctions2_function.function["worker"].name}\"",
    "severity>=ERROR",
    "jsonPayload.message=~\"^operation [^ ]+ FAILED: \"",
  ])

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "hotpath operation failures"
  }

  depends_on = [google_project_service.required]
}

# Summaries of the watchdog that counted at least one round: the heartbeat the absence alert reads.
resource "google_logging_metric" "watchdog_heartbeat" {
  project     = var.project_id
  name        = "${var.name_prefix}_watchdog_heartbeat"
  description = "Metric summaries of the TURN watchdog with at least one round: absent for 5 minutes means the watchdog is not running."
  filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=\"${google_cloudfunctions2_function.function["turn_watchdog"].name}\"",
    "${local.metrics_message}summary.\"",
    "jsonPayload.message=~\"[{,].watchdog_rounds.:[1-9]\"",
  ])

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "hotpath watchdog heartbeat"
  }

  depends_on = [google_project_service.required]
}
