package dev.hotpath.shared.turn.probe;

import java.time.Duration;

/**
 * How hard a probe tries in one round: {@code attempts} tries, {@code spacing} apart, each bounded
 * by {@code attemptTimeout}. The probe fails the round only when every try fails, so a single lost
 * packet never counts as an outage.
 */
public record AttemptPolicy(int attempts, Duration spacing, Duration attemptTimeout) {
  public AttemptPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
    if (spacing.isNegative() || attemptTimeout.isNegative() || attemptTimeout.isZero()) {
      throw new IllegalArgumentException("spacing must be >= 0 and the attempt timeout > 0");
    }
  }

  /** The longest one round of a probe can take under this policy. */
  public Duration worstCase() {
    return attemptTimeout.multipliedBy(attempts).plus(spacing.multipliedBy(attempts - 1L));
  }

  /** Runs {@code probe} under this policy; stops at the first success. */
  public ProbeResult run(Probe probe) throws InterruptedException {
    long start = System.nanoTime();
    ProbeFailure lastFailure = new ProbeFailure("not attempted");
    for (int i = 1; i <= attempts; i++) {
      if (i > 1) {
        Thread.sleep(spacing.toMillis());
      }
      try {
        ProbeAnswer answer = probe.attempt(attemptTimeout);
        return new ProbeResult(
            probe.kind(),
            true,
            answer.detail(),
            Duration.ofNanos(System.nanoTime() - start),
            i,
            answer.facts());
      } catch (ProbeFailure e) {
        lastFailure = e;
      }
    }
    return new ProbeResult(
        probe.kind(),
        false,
        lastFailure.getMessage(),
        Duration.ofNanos(System.nanoTime() - start),
        attempts,
        lastFailure.facts());
  }
}
