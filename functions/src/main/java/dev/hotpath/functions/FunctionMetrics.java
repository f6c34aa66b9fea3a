package dev.hotpath.functions;

import dev.hotpath.shared.config.MetricsConfig;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.MetricsEmitter;
import java.util.Map;

/**
 * The process's metrics summary: configured by the first function constructed (HOTPATH_METRICS,
 * HOTPATH_METRICS_INTERVAL_S; functions served in one process share it), written from the request
 * path by {@link FunctionBoundary} once the interval is due, and flushed by its shutdown hook.
 */
final class FunctionMetrics {
  private static volatile MetricsEmitter emitter;

  /** Applies {@code env}'s metrics settings unless a function configured them already. */
  static synchronized void configure(Map<String, String> env) {
    MetricsConfig config = MetricsConfig.fromEnv(env);
    if (emitter != null) {
      return;
    }
    Metrics.global().enabled(config.enabled());
    if (config.enabled()) {
      emitter = new MetricsEmitter(Metrics.global(), config.interval(), System::nanoTime);
    }
  }

  /** Writes the summary if it is due (one request's thread does; the others return at once). */
  static void maybeEmit() {
    MetricsEmitter e = emitter;
    if (e != null) {
      e.maybeEmit();
    }
  }

  /** Writes what is pending now (on SIGTERM). */
  static void flush() {
    MetricsEmitter e = emitter;
    if (e != null) {
      e.flush();
    }
  }

  private FunctionMetrics() {}
}
