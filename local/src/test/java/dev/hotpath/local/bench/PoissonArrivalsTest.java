package dev.hotpath.local.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The open loop's arrivals are a Poisson process: exponential gaps with the right mean, variance
 * and tail, repeatable by seed. Seeded, so these statistics are fixed numbers, not a flaky sample.
 */
class PoissonArrivalsTest {
  private static final int SAMPLES = 200_000;

  private static long[] gaps(double perSecond, long seed) {
    PoissonArrivals arrivals = new PoissonArrivals(perSecond, seed);
    long[] gaps = new long[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      gaps[i] = arrivals.nextGapNanos();
    }
    return gaps;
  }

  @Test
  void gapsAreExponentialWithMeanOneOverTheRate() {
    double rate = 5000;
    double mean = 1e9 / rate;
    long[] gaps = gaps(rate, 42);
    double average = Arrays.stream(gaps).average().orElseThrow();
    double variance =
        Arrays.stream(gaps).mapToDouble(g -> (g - average) * (g - average)).sum() / (SAMPLES - 1);
    assertEquals(mean, average, mean * 0.01, "mean gap");
    // An exponential's standard deviation equals its mean (coefficient of variation 1).
    assertEquals(1.0, Math.sqrt(variance) / average, 0.02, "coefficient of variation");
    // P(gap > mean) = 1/e, P(gap > 3 mean) = 1/e^3.
    assertEquals(
        Math.exp(-1), Arrays.stream(gaps).filter(g -> g > mean).count() / (double) SAMPLES, 0.005);
    assertEquals(
        Math.exp(-3),
        Arrays.stream(gaps).filter(g -> g > 3 * mean).count() / (double) SAMPLES,
        0.002);
    assertTrue(Arrays.stream(gaps).allMatch(g -> g >= 0), "no negative gap");
  }

  @Test
  void theSeedRepeatsTheArrivalsAndAnotherSeedDoesNot() {
    assertArrayEquals(gaps(100, 7), gaps(100, 7));
    assertFalse(Arrays.equals(gaps(100, 7), gaps(100, 8)));
  }

  @Test
  void theRateMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new PoissonArrivals(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new PoissonArrivals(Double.NaN, 1));
  }
}
