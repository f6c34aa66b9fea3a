package dev.hotpath.shared.validation;

import java.math.BigDecimal;

/**
 * The rule for one increment, wherever it comes from: a counter's {@code delta} (the Write API and
 * {@code CounterService}) and an operation's {@code increment.by}. Its magnitude is at most {@value
 * #MAX}, which keeps the sum of a batch of increments far from 64-bit overflow.
 */
public final class Deltas {
  /** Largest magnitude of one increment. */
  public static final long MAX = 1_000_000_000L;

  private static final BigDecimal MAX_DECIMAL = BigDecimal.valueOf(MAX);

  /** Returns {@code delta} if within the bounds, else throws naming {@code what}. */
  public static long check(String what, long delta) {
    if (delta < -MAX || delta > MAX) {
      throw outOfRange(what, delta);
    }
    return delta;
  }

  /**
   * Returns the integer {@code delta}, read from JSON at any size, as a long if within the bounds,
   * else throws naming {@code what}.
   */
  public static long check(String what, BigDecimal delta) {
    if (delta.abs().compareTo(MAX_DECIMAL) > 0) {
      throw outOfRange(what, delta);
    }
    return delta.longValueExact();
  }

  private static InvalidInputException outOfRange(String what, Object delta) {
    return new InvalidInputException(
        what + " must be from " + -MAX + " to " + MAX + ", got " + delta);
  }

  private Deltas() {}
}
