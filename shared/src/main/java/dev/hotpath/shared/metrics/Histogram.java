package dev.hotpath.shared.metrics;

import java.util.Arrays;

/**
 * A snapshot of a {@link LatencyHistogram}: counts per bucket of {@link
 * LatencyHistogram#BOUNDS_MILLIS} (plus the open last one) and the sum of the recorded values.
 */
public record Histogram(long[] counts, long sumMillis) {
  public Histogram {
    counts = counts.clone();
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  /** How many values were recorded. */
  public long count() {
    return Arrays.stream(counts).sum();
  }

  /**
   * The upper bound of the bucket holding the {@code q} quantile (0..1), in milliseconds; the last
   * finite bound times two for the open bucket; 0 when empty.
   */
  public long quantileMillis(double q) {
    long total = count();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= Math.max(1, rank)) {
        return i < LatencyHistogram.BOUNDS_MILLIS.size()
            ? LatencyHistogram.BOUNDS_MILLIS.get(i)
            : 2 * LatencyHistogram.BOUNDS_MILLIS.get(i - 1);
      }
    }
    return 0;
  }

  /** This minus {@code earlier}: the values recorded between the two snapshots. */
  public Histogram minus(Histogram earlier) {
    long[] delta = new long[counts.length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = counts[i] - earlier.counts[i];
    }
    return new Histogram(delta, sumMillis - earlier.sumMillis);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h && Arrays.equals(counts, h.counts) && sumMillis == h.sumMillis;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(counts) + Long.hashCode(sumMillis);
  }

  @Override
  public String toString() {
    return "Histogram" + Arrays.toString(counts) + " sum " + sumMillis + " ms";
  }
}
