# One dashboard: Cloud Run's own request figures per function beside hotpath's metrics (metrics.tf),
# the operations queue and the TURN targets. README "Operating hotpath" says what each panel means.
#
# Panels read metrics in two ways. Built-in and per-instance gauge-like metrics use Monitoring
# filters with aligners. Counts carried by a log-based DISTRIBUTION metric (acknowledged, commits,
# 503s, …) are summed with PromQL, where a distribution metric reads as NAME_sum/_count/_bucket and
# a log-based metric as logging_googleapis_com:user_NAME (characters other than [A-Za-z0-9_]
# become "_", hence promql_prefix). TerraformMetricsTest checks every metric named here exists.
locals {
  promql_prefix = "logging_googleapis_com:user_${replace(var.name_prefix, "-", "_")}"
  on_run        = "resource.type=\"cloud_run_revision\""

  # What follows a summary metric's PromQL name (PREFIX_KEY_sum) in a rate(): its samples from Cloud
  # Run over 5 minutes.
  on_run_5m = "{monitored_resource=\"cloud_run_revision\"}[5m]"

  dashboard_tiles = [
    # --- Cloud Run, per function ---------------------------------------------------------------
    { title = "Requests/s by function and response class", width = 16, dataSets = [{
      timeSeriesQuery = { timeSeriesFilter = {
        filter = "metric.type=\"run.googleapis.com/request_count\" AND ${local.on_run}"
        aggregation = { alignmentPeriod = "60s", perSeriesAligner = "ALIGN_RATE", crossSeriesReducer = "REDUCE_SUM",
        groupByFields = ["resource.label.service_name", "metric.label.response_code_class"] }
    } } }] },
    { title = "Request latency p99 by function (ms)", width = 16, dataSets = [{
      timeSeriesQuery = { timeSeriesFilter = {
        filter = "metric.type=\"run.googleapis.com/request_latencies\" AND ${local.on_run}"
        aggregation = { alignmentPeriod = "60s", perSeriesAligner = "ALIGN_DELTA", crossSeriesReducer = "REDUCE_PERCENTILE_99",
        groupByFields = ["resource.label.service_name"] }
    } } }] },
    { title = "5xx/s by function", width = 16, dataSets = [{
      timeSeriesQuery = { timeSeriesFilter = {
        filter = "metric.type=\"run.googleapis.com/request_count\" AND ${local.on_run} AND metric.label.response_code_class=\"5xx\""
        aggregation = { alignmentPeriod = "60s", perSeriesAligner = "ALIGN_RATE", crossSeriesReducer = "REDUCE_SUM",
        groupByFields = ["resource.label.service_name"] }
    } } }] },

    # --- Write API -------------------------------------------------------------------------------
    { title = "Increments and appends acknowledged/s by name", width = 16, dataSets = [{
      timeSeriesQuery = { prometheusQuery = "sum by (family, name) (rate(${local.promql_prefix}_acknowledged_sum${local.on_run_5m}))" }
    }] },
    { title = "Items per commit by name", width = 16, dataSets = [{
      timeSeriesQuery = { prometheusQuery = "sum by (family, name) (rate(${local.promql_prefix}_acknowledged_sum${local.on_run_5m})) / sum by (family, name) (rate(${local.promql_prefix}_commits_sum${local.on_run_5m}))" }
    }] },
    { title = "503s/s by cause", width = 16, dataSets = [{
      timeSeriesQuery = { prometheusQuery = "sum by (cause) (rate(${local.promql_prefix}_unavailable_sum${local.on_run_5m}))" }
    }] },
    { title = "Commits and Datastore calls/s", width = 16, dataSets = [
      { timeSeriesQuery = { prometheusQuery = "sum(rate(${local.promql_prefix}_commits_sum${local.on_run_5m}))" } },
      { timeSeriesQuery = { prometheusQuery = "sum(rate(${local.promql_prefix}_datastore_calls_sum${local.on_run_5m}))" } },
    ] },
    { title = "Contention aborts and shard growths/s", width = 16, dataSets = [
      { timeSeriesQuery = { prometheusQuery = "sum(rate(${local.promql_prefix}_contention_aborts_sum${local.on_run_5m}))" } },
      { timeSeriesQuery = { prometheusQuery = "sum(rate(${local.promql_prefix}_shard_growths_sum${local.on_run_5m}))" } },
    ] },
    { title = "Flush latency p99 (ms, worst instance)", width = 16, dataSets = [{
      timeSeriesQuery = { timeSeriesFilter = {
        filter      = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.summary["flush_p99_ms"].name}\" AND ${local.on_run}"
        aggregation = { alignmentPeriod = "60s", perSeriesAligner = "ALIGN_PERCENTILE_99", crossSeriesReducer = "REDUCE_MAX" }
    } } }] },
    { title = "Shards by name (largest instance view)", width = 16, dataSets = [{
      timeSeriesQuery = { timeSeriesFilter = {
        filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.summary["shards"].name}\" AND ${local.on_run}"
        aggregation = { alignmentPeriod = "300s", perSeriesAligner = "ALIGN_PERCENTILE_99", crossSeriesReducer = "REDUCE_MAX",
        groupByFields = ["metric.label.family", "metric.label.name"] }
    } } }] },
    { title = "Flushes (group commits)/s", width = 16, dataSets = [{
      timeSeriesQuery = { prometheusQuery = "sum(rate(${local.promql_prefix}_flushes_sum${local.on_run_5m}))" }
    }] },
    { title = "503s/s by name (retry budget spent)", width = 16, dataSets = [{
      timeSeriesQuery = { prometheusQuery = "sum by (family, name) (rate(${local.promql_prefix}_name_unavailable_sum${local.on_run_5m}))" }
    }] },

    # --- Operations ------------------------------------------------------------------------------
    { title = "Operations/s: submitted, DONE, FAILED, re-enqueued by the sweep", width = 16, dataSets = [
      { timeSeriesQuery = { prometheusQuery = "sum(rate(${local.promql_prefix}_operations_submitted_sum${local.on_run_5m}))" } },
      { timeSeriesQuery = { prometheusQuery = "sum(rate(${local.promql_prefix}_operations_done_sum${local.on_run_5m}))" } },
      { timeSeriesQuery = { prometheusQuery = "sum(rate(${local.promql_prefix}_operations_failed_sum${local.on_run_5m}))" } },
      { timeSeriesQuery = { prometheusQuery = "sum(rate(${local.promql_prefix}_operations_reenqueued_sum${local.on_run_5m}))" } },
    ] },
    { title = "Oldest PENDING operation (s, as the sweep saw it)", width = 16, dataSets = [{
      timeSeriesQuery = { timeSeriesFilter = {
        filter      = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.summary["oldest_pending_s"].name}\" AND ${local.on_run}"
        aggregation = { alignmentPeriod = "300s", perSeriesAligner = "ALIGN_PERCENTILE_99", crossSeriesReducer = "REDUCE_MAX" }
    } } }] },
    { title = "Operations queue depth", width = 16, dataSets = [{
      timeSeriesQuery = { timeSeriesFilter = {
        filter      = "metric.type=\"cloudtasks.googleapis.com/queue/depth\" AND resource.type=\"cloud_tasks_queue\" AND resource.label.queue_id=\"${google_cloud_tasks_queue.operations.name}\""
        aggregation = { alignmentPeriod = "60s", perSeriesAligner = "ALIGN_MEAN", crossSeriesReducer = "REDUCE_SUM" }
    } } }] },

    # --- TURN watchdog ---------------------------------------------------------------------------
    { title = "Watchdog rounds/min", width = 12, dataSets = [{
      timeSeriesQuery = { prometheusQuery = "60 * sum(rate(${local.promql_prefix}_watchdog_rounds_sum${local.on_run_5m}))" }
    }] },
    { title = "TURN target status (reports per target and status)", width = 12, dataSets = [{
      timeSeriesQuery = { timeSeriesFilter = {
        filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.summary["target_status"].name}\" AND ${local.on_run}"
        aggregation = { alignmentPeriod = "300s", perSeriesAligner = "ALIGN_SUM", crossSeriesReducer = "REDUCE_SUM",
        groupByFields = ["metric.label.target", "metric.label.status"] }
    } } }] },
    { title = "TURN probe round trip (ms) by target", width = 12, dataSets = [{
      timeSeriesQuery = { timeSeriesFilter = {
        filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.summary["probe_ms"].name}\" AND ${local.on_run}"
        aggregation = { alignmentPeriod = "300s", perSeriesAligner = "ALIGN_PERCENTILE_99", crossSeriesReducer = "REDUCE_MAX",
        groupByFields = ["metric.label.target"] }
    } } }] },
    { title = "TURN restarts failed, given up, misconfigured…", width = 12, dataSets = [{
      timeSeriesQuery = { timeSeriesFilter = {
        filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.turn_restart_failures.name}\" AND ${local.on_run}"
        aggregation = { alignmentPeriod = "300s", perSeriesAligner = "ALIGN_SUM", crossSeriesReducer = "REDUCE_SUM",
        groupByFields = ["metric.label.target", "metric.label.outcome"] }
    } } }] },
  ]
}

resource "google_monitoring_dashboard" "hotpath" {
  project = var.project_id
  dashboard_json = jsonencode({
    displayName = "${var.name_prefix}: Write API, operations and TURN watchdog"
    mosaicLayout = {
      columns = 48
      # Tiles flow left to right, 16 (or 12) columns wide and 16 rows high each; each row of the
      # list above fills the 48 columns exactly, so no tile straddles two rows.
      tiles = [
        for i, t in local.dashboard_tiles : {
          xPos   = sum(concat([0], [for p in slice(local.dashboard_tiles, 0, i) : p.width])) % 48
          yPos   = 16 * floor(sum(concat([0], [for p in slice(local.dashboard_tiles, 0, i) : p.width])) / 48)
          width  = t.width
          height = 16
          widget = {
            title   = t.title
            xyChart = { dataSets = [for d in t.dataSets : merge(d, { plotType = "LINE" })] }
          }
        }
      ]
    }
  })

  depends_on = [google_project_service.required]
}
