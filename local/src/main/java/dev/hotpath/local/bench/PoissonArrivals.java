package dev.hotpath.local.bench;

import java.util.SplittableRandom;

/**
 * The gaps between arrivals of a Poisson process: independent, exponentially distributed with mean
 * {@code 1 / perSecond}. Seeded, so a run's arrivals can be repeated; used by one thread.
 */
final class PoissonArrivals {
  private final double meanGapNanos;
  private final SplittableRandom random;

  PoissonArrivals(double perSecond, long seed) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("the arrival rate must be positive, got " + perSecond);
    }
    this.meanGapNanos = 1e9 / perSecond;
    this.random = new SplittableRandom(seed);
  }

  /** Nanoseconds from the previous arrival to the next. */
  long nextGapNanos() {
    // Inverse transform: 1 - u is in (0, 1], so the logarithm is finite.
    return Math.round(-Math.log(1 - random.nextDouble()) * meanGapNanos);
  }
}
