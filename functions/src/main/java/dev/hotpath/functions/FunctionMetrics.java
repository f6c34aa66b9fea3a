package dev.hotpath.functions;

import dev.hotpath.shared.config.MetricsConfig;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.MetricsEmitter;
import java.util.Map;

/**
 * The process's metrics summary, written from the request path by {@link FunctionBoundary} once the
 * interval is due and flushed by its shutdown hook. Functions served in one process share it: the
 * latest function constructed decides whether metrics are recorded (HOTPATH_METRICS; a deployment
 * sets one value for all, and a benchmark's rows construct theirs one after another), the first one
 * enabled sets the interval (HOTPATH_METRICS_INTERVAL_S).
 */
final class FunctionMetrics {
  private static volatile MetricsEmitter emitter;

  /** Applies {@code env}'s metrics settings. */
  static synchronized void configure(Map<String, String> env) {
    MetricsConfig config = MetricsConfig.fromEnv(env);
    Metrics.global().enabled(config.enabled());
    if (config.enabled() && emitter == null) {
      emitter = new MetricsEmitter(Metrics.global(), config.interval(), System::nanoTime);
    }
  }

  /** Replaces the emitter (a test's, on a clock of its own); returns the one it replaced. */
  static synchronized MetricsEmitter use(MetricsEmitter replacement) {
    MetricsEmitter replaced = emitter;
    emitter = replacement;
    return replaced;
  }

  /** Writes the summary if it is due (one request's thread does; the others return at once). */
  static void maybeEmit() {
    MetricsEmitter e = emitter;
    if (e != null && Metrics.global().enabled()) {
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
