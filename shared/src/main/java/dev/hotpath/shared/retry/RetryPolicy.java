package dev.hotpath.shared.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a write is retried: exponential backoff with full jitter, capped, within a total time budget
 * (the longest a write may take, waiting and retries included, before it is given up). A value,
 * kept apart from the code that retries, so call sites and tests share it; the configured defaults
 * are the settings' ({@code dev.hotpath.shared.config.RetryConfig}).
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration budget) {
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff);
    Objects.requireNonNull(maxBackoff);
    Objects.requireNonNull(budget);
    if (initialBackoff.isNegative()
        || maxBackoff.compareTo(initialBackoff) < 0
        || budget.isNegative()) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff and budget >= 0");
    }
  }

  /**
   * The pause before retry number {@code retry} (1 for the first retry): uniformly random between
   * zero and {@code min(maxBackoff, initialBackoff * 2^(retry-1))}, so that writers that collided
   * once do not collide again in lock-step.
   */
  public Duration backoff(int retry, RandomGenerator random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry counts from 1, got " + retry);
    }
    long ceiling = initialBackoff.toNanos();
    for (int i = 1; i < retry && ceiling < maxBackoff.toNanos(); i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, maxBackoff.toNanos());
    return Duration.ofNanos(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
  }
}
