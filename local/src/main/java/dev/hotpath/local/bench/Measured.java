package dev.hotpath.local.bench;

import dev.hotpath.emulators.datastore.engine.EmulatorStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * One measured row of {@code bench counters} or {@code bench groups}, kept so that repeated,
 * interleaved runs can be summarised: the median of each figure per variant and instance count, and
 * the scale-out ratio of every run (a median of ratios, not a ratio of medians, so each ratio
 * compares rows measured minutes apart on the same host).
 *
 * @param cpu the Write API processes' CPU time during the load; empty when they are in this JVM
 * @param jit the part of {@code cpu} their JIT compiler threads used; empty where unknown
 * @param cells the row as printed
 */
record Measured(
    String variant,
    int instances,
    LoadResult load,
    Optional<Duration> cpu,
    Optional<Duration> jit,
    EmulatorStats before,
    EmulatorStats after,
    WriteApiBench.Stored stored,
    Object[] cells) {

  double perAcknowledged(long amount) {
    return (double) amount / Math.max(1, load.acknowledged());
  }

  double calls() {
    return perAcknowledged(after.calls() - before.calls());
  }

  double commits() {
    return perAcknowledged(after.commits() - before.commits());
  }

  /** CPU µs per acknowledged request, or NaN without process CPU. */
  double cpuMicros() {
    return cpu.map(d -> perAcknowledged(d.toNanos() / 1_000)).orElse(Double.NaN);
  }

  /** The JIT compilers' share of the processes' CPU, in percent; empty where either is unknown. */
  static Optional<Double> jitShare(Optional<Duration> cpu, Optional<Duration> jit) {
    if (cpu.isEmpty() || jit.isEmpty() || cpu.get().isZero()) {
      return Optional.empty();
    }
    return Optional.of(100.0 * jit.get().toNanos() / cpu.get().toNanos());
  }

  /** CPU µs per commit, or NaN without process CPU. */
  double cpuMicrosPerCommit() {
    return cpu.map(d -> d.toNanos() / 1_000.0 / Math.max(1, after.commits() - before.commits()))
        .orElse(Double.NaN);
  }

  /** Calls per commit: the round trips one flush costs, on average. */
  double callsPerCommit() {
    return (double) (after.calls() - before.calls())
        / Math.max(1, after.commits() - before.commits());
  }

  /** The table of medians, one row per variant and instance count, in first-run order. */
  static String medians(List<Measured> runs, String unit) {
    ResultTable table =
        new ResultTable(
            "variant",
            "instances",
            "runs",
            unit + "/s",
            "p50 ms",
            "p99 ms",
            "calls/" + unit,
            "calls/commit",
            "commits/" + unit,
            "CPU µs/" + unit,
            "CPU µs/commit",
            "JIT %",
            "shards",
            "checks");
    for (List<Measured> group : byRow(runs).values()) {
      Measured first = group.get(0);
      table.row(
          first.variant,
          first.instances,
          group.size(),
          format("%.1f", median(group, m -> m.load.perSecond())),
          format("%.1f", median(group, m -> m.load.latency().millis(50))),
          format("%.1f", median(group, m -> m.load.latency().millis(99))),
          format("%.4f", median(group, Measured::calls)),
          format("%.2f", median(group, Measured::callsPerCommit)),
          format("%.4f", median(group, Measured::commits)),
          orDash("%.1f", median(group, Measured::cpuMicros)),
          orDash("%.0f", median(group, Measured::cpuMicrosPerCommit)),
          orDash("%.1f", median(group, m -> jitShare(m.cpu, m.jit).orElse(Double.NaN))),
          format("%.0f", median(group, m -> m.stored.shards())),
          String.join(
              ", ", group.stream().map(m -> String.valueOf(m.cells[m.cells.length - 1])).toList()));
    }
    return table.toString();
  }

  /**
   * Per variant: the last instance count's rate over the first's in each run, and their median; the
   * same for p50 latency.
   */
  static String scaleOut(List<Measured> runs, List<Integer> instanceCounts) {
    if (instanceCounts.size() < 2) {
      return "";
    }
    int low = instanceCounts.get(0);
    int high = instanceCounts.get(instanceCounts.size() - 1);
    StringBuilder out = new StringBuilder();
    Map<String, List<Measured>> byVariant = new LinkedHashMap<>();
    runs.forEach(m -> byVariant.computeIfAbsent(m.variant, v -> new ArrayList<>()).add(m));
    byVariant.forEach(
        (variant, measured) -> {
          List<Measured> lows = measured.stream().filter(m -> m.instances == low).toList();
          List<Measured> highs = measured.stream().filter(m -> m.instances == high).toList();
          List<Double> rates = new ArrayList<>();
          List<Double> latencies = new ArrayList<>();
          for (int i = 0; i < Math.min(lows.size(), highs.size()); i++) {
            rates.add(highs.get(i).load.perSecond() / lows.get(i).load.perSecond());
            latencies.add(
                highs.get(i).load.latency().millis(50) / lows.get(i).load.latency().millis(50));
          }
          out.append(
              String.format(
                  Locale.ROOT,
                  "%n(%s) N = %d / N = %d: throughput %s (median %.2fx), p50 %s (median %.2fx)%n",
                  variant,
                  high,
                  low,
                  list(rates),
                  median(rates),
                  list(latencies),
                  median(latencies)));
        });
    return out.toString();
  }

  /** The median rate of {@code variant} at {@code instances}, or null if it did not run. */
  static Double medianRate(List<Measured> runs, String variant, int instances) {
    List<Double> rates =
        runs.stream()
            .filter(m -> m.variant.equals(variant) && m.instances == instances)
            .map(m -> m.load.perSecond())
            .toList();
    return rates.isEmpty() ? null : median(rates);
  }

  private static Map<String, List<Measured>> byRow(List<Measured> runs) {
    Map<String, List<Measured>> rows = new LinkedHashMap<>();
    runs.forEach(
        m -> rows.computeIfAbsent(m.variant + "@" + m.instances, k -> new ArrayList<>()).add(m));
    return rows;
  }

  private static double median(List<Measured> group, ToDoubleFunction<Measured> figure) {
    return median(group.stream().map(figure::applyAsDouble).toList());
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String list(List<Double> values) {
    return values.stream().map(v -> format("%.2f", v)).toList().toString();
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }

  private static String orDash(String pattern, double value) {
    return Double.isNaN(value) ? "-" : format(pattern, value);
  }
}
