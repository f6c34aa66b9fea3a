package dev.hotpath.emulators.tasks.engine;

import java.time.Duration;

/**
 * A queue's retry configuration as data, with the backoff and give-up rules production documents:
 * the interval starts at {@code minBackoff}, doubles {@code maxDoublings} times, then grows
 * linearly by the last doubled interval, never beyond {@code maxBackoff}; a task is given up once
 * both {@code maxAttempts} and {@code maxRetryDuration} are used up (an unlimited one of the two
 * leaves the decision to the other).
 */
record QueueRetryPolicy(
    int maxAttempts,
    Duration maxRetryDuration,
    Duration minBackoff,
    Duration maxBackoff,
    int maxDoublings) {

  /** {@code maxAttempts} meaning "retry forever". */
  static final int UNLIMITED_ATTEMPTS = -1;

  /**
   * The wait before retry number {@code retryIndex} (0 for the first retry). With min 10 s, max 300
   * s and 3 doublings: 10, 20, 40, 80, 160, 240, 300, 300, ...
   */
  Duration backoff(int retryIndex) {
    long minNanos = minBackoff.toNanos();
    long maxNanos = maxBackoff.toNanos();
    int doublings = Math.min(retryIndex, maxDoublings);
    long doubled = saturatingShift(minNanos, doublings);
    long nanos =
        retryIndex <= maxDoublings
            ? doubled
            : saturatingMultiply(doubled, retryIndex - maxDoublings + 1L);
    return Duration.ofNanos(Math.min(nanos, maxNanos));
  }

  /** Whether a task that failed its {@code attempts}-th attempt must not be tried again. */
  boolean exhausted(int attempts, Duration sinceFirstAttempt) {
    boolean attemptsLimited = maxAttempts != UNLIMITED_ATTEMPTS;
    boolean durationLimited = !maxRetryDuration.isZero();
    boolean attemptsUsed = attemptsLimited ? attempts >= maxAttempts : durationLimited;
    boolean durationUsed =
        durationLimited ? sinceFirstAttempt.compareTo(maxRetryDuration) >= 0 : attemptsLimited;
    return attemptsUsed && durationUsed;
  }

  private static long saturatingShift(long value, int bits) {
    if (value == 0) {
      return 0;
    }
    return bits >= Long.numberOfLeadingZeros(value) - 1 ? Long.MAX_VALUE : value << bits;
  }

  private static long saturatingMultiply(long value, long factor) {
    long high = Math.multiplyHigh(value, factor);
    long product = value * factor;
    return high != 0 || product < 0 ? Long.MAX_VALUE : product;
  }
}
