package dev.hotpath.emulators.tasks.engine;

import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.protobuf.util.Durations;
import dev.hotpath.emulators.EmulatorException;
import java.time.Duration;

/**
 * A queue's rate limits and retry configuration, checked against production's bounds and with
 * production's defaults filled in for every field left unset (proto3 cannot tell 0 from unset, so 0
 * means "default" exactly as in production).
 */
record QueueConfig(
    double maxDispatchesPerSecond,
    int maxBurstSize,
    int maxConcurrentDispatches,
    QueueRetryPolicy retry) {

  static final double MAX_RATE = 500;
  static final int MAX_CONCURRENT = 5000;
  private static final int DEFAULT_CONCURRENT = 1000;
  private static final int DEFAULT_ATTEMPTS = 100;
  private static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration DEFAULT_MAX_BACKOFF = Duration.ofHours(1);
  private static final int DEFAULT_DOUBLINGS = 16;

  /** Checks the queue's {@code rate_limits} and {@code retry_config}; throws INVALID_ARGUMENT. */
  static QueueConfig of(Queue queue) {
    if (queue.hasAppEngineRoutingOverride()) {
      throw new EmulatorException(
          com.google.rpc.Code.UNIMPLEMENTED,
          "the Cloud Tasks emulator serves HTTP targets only; app_engine_routing_override is not supported");
    }
    RateLimits rate = queue.getRateLimits();
    double perSecond =
        rate.getMaxDispatchesPerSecond() == 0 ? MAX_RATE : rate.getMaxDispatchesPerSecond();
    if (!(perSecond > 0 && perSecond <= MAX_RATE)) {
      throw invalid(
          "rate_limits.max_dispatches_per_second must be in (0, 500], got "
              + rate.getMaxDispatchesPerSecond());
    }
    int concurrent =
        rate.getMaxConcurrentDispatches() == 0
            ? DEFAULT_CONCURRENT
            : rate.getMaxConcurrentDispatches();
    if (concurrent < 1 || concurrent > MAX_CONCURRENT) {
      throw invalid(
          "rate_limits.max_concurrent_dispatches must be in [1, 5000], got "
              + rate.getMaxConcurrentDispatches());
    }
    return new QueueConfig(
        perSecond, burstFor(perSecond), concurrent, retryPolicy(queue.getRetryConfig()));
  }

  /**
   * Production picks the burst itself from the rate (output only); a fifth of a second's worth,
   * between 1 and 100, gives its documented 100 at 500/s and keeps slow queues smooth.
   */
  private static int burstFor(double perSecond) {
    return (int) Math.max(1, Math.min(100, Math.ceil(perSecond / 5)));
  }

  private static QueueRetryPolicy retryPolicy(RetryConfig config) {
    int attempts = config.getMaxAttempts() == 0 ? DEFAULT_ATTEMPTS : config.getMaxAttempts();
    if (attempts < QueueRetryPolicy.UNLIMITED_ATTEMPTS) {
      throw invalid(
          "retry_config.max_attempts must be -1 (unlimited) or positive, got " + attempts);
    }
    Duration retryDuration =
        nonNegative(
            "max_retry_duration",
            config.hasMaxRetryDuration(),
            config.getMaxRetryDuration(),
            Duration.ZERO);
    Duration minBackoff =
        nonNegative(
            "min_backoff", config.hasMinBackoff(), config.getMinBackoff(), DEFAULT_MIN_BACKOFF);
    Duration maxBackoff =
        nonNegative(
            "max_backoff", config.hasMaxBackoff(), config.getMaxBackoff(), DEFAULT_MAX_BACKOFF);
    if (minBackoff.compareTo(maxBackoff) > 0) {
      throw invalid(
          "retry_config.min_backoff ("
              + minBackoff
              + ") must not exceed max_backoff ("
              + maxBackoff
              + ")");
    }
    int doublings = config.getMaxDoublings() == 0 ? DEFAULT_DOUBLINGS : config.getMaxDoublings();
    if (doublings < 0) {
      throw invalid("retry_config.max_doublings must not be negative, got " + doublings);
    }
    return new QueueRetryPolicy(attempts, retryDuration, minBackoff, maxBackoff, doublings);
  }

  private static Duration nonNegative(
      String field, boolean present, com.google.protobuf.Duration value, Duration fallback) {
    if (!present) {
      return fallback;
    }
    if (!Durations.isValid(value) || Durations.isNegative(value)) {
      throw invalid(
          "retry_config."
              + field
              + " must be a non-negative duration, got "
              + Durations.toString(value));
    }
    return Duration.ofSeconds(value.getSeconds(), value.getNanos());
  }

  /** The queue as Get/List show it: every default spelled out, the burst production would pick. */
  Queue describe(Queue queue) {
    return queue.toBuilder()
        .setRateLimits(
            RateLimits.newBuilder()
                .setMaxDispatchesPerSecond(maxDispatchesPerSecond)
                .setMaxBurstSize(maxBurstSize)
                .setMaxConcurrentDispatches(maxConcurrentDispatches))
        .setRetryConfig(
            RetryConfig.newBuilder()
                .setMaxAttempts(retry.maxAttempts())
                .setMaxRetryDuration(proto(retry.maxRetryDuration()))
                .setMinBackoff(proto(retry.minBackoff()))
                .setMaxBackoff(proto(retry.maxBackoff()))
                .setMaxDoublings(retry.maxDoublings()))
        .build();
  }

  private static com.google.protobuf.Duration proto(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }

  private static EmulatorException invalid(String message) {
    return EmulatorException.invalidArgument(message);
  }
}
