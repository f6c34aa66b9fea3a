package dev.hotpath.functions.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.metrics.MetricsEmitter;
import dev.hotpath.shared.metrics.SummaryFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alerts read only metrics that exist: each metric type they name is a {@code
 * google_logging_metric} of this module or a documented built-in, and each field a log-based metric
 * extracts from the summary records is one the code writes ({@link SummaryFields#ALL}).
 */
class TerraformMetricsTest {
  private static final TerraformModule MODULE = TerraformModule.load();

  /**
   * Google Cloud's own metrics the dashboard and alerts read, each with its documentation: Cloud
   * Run's at https://cloud.google.com/monitoring/api/metrics_gcp_p_z#gcp-run, Cloud Tasks' at
   * https://cloud.google.com/monitoring/api/metrics_gcp_c#gcp-cloudtasks.
   */
  private static final Set<String> BUILT_IN =
      Set.of(
          "run.googleapis.com/request_count",
          "run.googleapis.com/request_latencies",
          "cloudtasks.googleapis.com/queue/depth");

  /** metric.type="…" as HCL source writes it (the quotes escaped). */
  private static final Pattern METRIC_TYPE =
      Pattern.compile("metric\\.type=\\\\\"([^\\\\\"]+)\\\\\"");

  /** A user metric type: a google_logging_metric's name, possibly a for_each instance's. */
  private static final Pattern USER_METRIC =
      Pattern.compile(
          "logging\\.googleapis\\.com/user/\\$\\{google_logging_metric\\.(\\w+)(?:\\[\"(\\w+)\"])?\\.name}");

  /** A summary metric read with PromQL: ${local.promql_prefix}_KEY_sum. */
  private static final Pattern PROMQL_SERIES =
      Pattern.compile("\\$\\{local\\.promql_prefix}_(\\w+?)_(?:sum|count|bucket)\\b");

  /** A field matched in a record's message: [{,].field.: */
  private static final Pattern FIELD = Pattern.compile("\\[\\{,]\\.(\\w+)\\.:");

  /** A record kind matched: hotpath_metrics.:.kind */
  private static final Pattern RECORD_KIND = Pattern.compile("hotpath_metrics\\.:\\.(\\w+)\\.");

  @Test
  void everyMetricTypeReadIsDefinedOrABuiltIn() {
    List<String> types = all(METRIC_TYPE, 1);
    assertTrue(types.size() >= 10, "dashboard and alerts name metric types: " + types);
    Set<String> resources = MODULE.resources("google_logging_metric").keySet();
    Set<String> summaryKeys = summaryMetrics().keySet();
    List<String> unknown = new ArrayList<>();
    for (String type : types) {
      Matcher user = USER_METRIC.matcher(type);
      if (BUILT_IN.contains(type)) {
        continue;
      }
      if (!user.matches()) {
        unknown.add(type);
      } else if (user.group(2) == null
          ? !resources.contains(user.group(1))
          : !(user.group(1).equals("summary") && summaryKeys.contains(user.group(2)))) {
        unknown.add(type);
      }
    }
    assertEquals(List.of(), unknown, "metric types neither defined here nor documented built-ins");
  }

  @Test
  void everyPromQlSeriesIsASummaryMetric() {
    Set<String> summaryKeys = summaryMetrics().keySet();
    Set<String> used = new TreeSet<>(all(PROMQL_SERIES, 1));
    assertTrue(used.size() >= 10, "the dashboard reads PromQL series: " + used);
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(summaryKeys);
    assertEquals(Set.of(), missing, "rate_of series without a log-based metric");
  }

  @Test
  void everyFieldExtractedIsOneTheCodeWrites() {
    Map<String, Object> metrics = summaryMetrics();
    assertTrue(metrics.size() >= 15, "summary_metrics parsed: " + metrics.keySet());
    Set<String> kinds =
        Set.of(
            SummaryFields.SUMMARY,
            SummaryFields.NAME,
            SummaryFields.UNAVAILABLE,
            SummaryFields.TARGET);
    metrics.forEach(
        (key, spec) -> {
          Map<String, Object> s = TerraformModule.map(spec);
          assertTrue(kinds.contains(TerraformModule.string(s, "record")), key + " record kind");
          assertTrue(
              SummaryFields.ALL.contains(TerraformModule.string(s, "field")),
              key + " extracts " + s.get("field") + ", which no record carries");
          for (Object label : (List<?>) s.get("labels")) {
            assertTrue(SummaryFields.ALL.contains(label), key + " label " + label);
          }
        });
    List<String> matched = all(FIELD, 1);
    assertTrue(matched.containsAll(List.of("family", "name", "cause", "target", "status")));
    for (String field : matched) {
      assertTrue(SummaryFields.ALL.contains(field), field + " is matched but never written");
    }
    for (String kind : all(RECORD_KIND, 1)) {
      assertTrue(kinds.contains(kind), kind + " is not a record kind");
    }
    String prefix = MetricsEmitter.MESSAGE_PREFIX;
    assertTrue(
        MODULE.sources().values().stream().anyMatch(s -> s.contains("\"^" + prefix)),
        "the filters match records by the emitter's prefix '" + prefix + "'");
  }

  private static Map<String, Object> summaryMetrics() {
    return TerraformModule.map(MODULE.blocks("locals").get("summary_metrics"));
  }

  private static List<String> all(Pattern pattern, int group) {
    List<String> found = new ArrayList<>();
    for (String source : MODULE.sources().values()) {
      Matcher m = pattern.matcher(source);
      while (m.find()) {
        found.add(m.group(group));
      }
    }
    return found;
  }
}
