package dev.hotpath.shared.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Whether the functions record and log their own metrics, and how often an instance writes its
 * summary.
 */
public record MetricsConfig(boolean enabled, Duration interval) {
  /** Every setting {@link #fromEnv} reads. */
  public static final List<Setting> SETTINGS =
      List.of(Settings.METRICS, Settings.METRICS_INTERVAL_S);

  /** On or off, as HOTPATH_METRICS names it. */
  enum Switch {
    ON,
    OFF
  }

  public static MetricsConfig fromEnv(Map<String, String> variables) {
    Env env = new Env(variables);
    return new MetricsConfig(
        env.choice(Settings.METRICS, Switch.class) == Switch.ON,
        Duration.ofSeconds(env.integer(Settings.METRICS_INTERVAL_S, 1, 3600)));
  }
}
