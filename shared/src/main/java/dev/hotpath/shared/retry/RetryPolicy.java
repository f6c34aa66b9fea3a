package dev.hotpath.shared.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a write is retried: exponential backoff with full jitter, capped, within a total time budget.
 * A value, kept apart from the code that retries, so call sites and tests share it.
 */
public final class RetryPolicy {
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration budget;

  private RetryPolicy(Builder builder) {
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.budget = builder.budget;
    if (initialBackoff.isNegative()
        || maxBackoff.compareTo(initialBackoff) < 0
        || budget.isNegative()) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff and budget >= 0");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** The longest a write may take, waiting and retries included, before it is given up. */
  public Duration budget() {
    return budget;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p
        && p.initialBackoff.equals(initialBackoff)
        && p.maxBackoff.equals(maxBackoff)
        && p.budget.equals(budget);
  }

  @Override
  public int hashCode() {
    return Objects.hash(initialBackoff, maxBackoff, budget);
  }

  @Override
  public String toString() {
    return "RetryPolicy{initial="
        + initialBackoff
        + ", max="
        + maxBackoff
        + ", budget="
        + budget
        + "}";
  }

  public static final class Builder {
    private Duration initialBackoff = Duration.ofMillis(20);
    private Duration maxBackoff = Duration.ofSeconds(1);
    private Duration budget = Duration.ofSeconds(10);

    private Builder() {}

    public Builder initialBackoff(Duration value) {
      this.initialBackoff = Objects.requireNonNull(value);
      return this;
    }

    public Builder maxBackoff(Duration value) {
      this.maxBackoff = Objects.requireNonNull(value);
      return this;
    }

    public Builder budget(Duration value) {
      this.budget = Objects.requireNonNull(value);
      return this;
    }

    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
