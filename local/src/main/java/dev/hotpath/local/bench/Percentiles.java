package dev.hotpath.local.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarised as the percentiles benchmarks report. */
public final class Percentiles {
  private final long[] sortedNanos;

  public Percentiles(long[] nanos) {
    this.sortedNanos = nanos.clone();
    Arrays.sort(this.sortedNanos);
  }

  /** The value at {@code p} (0–100) by nearest rank, in milliseconds; 0 with no samples. */
  public double millis(double p) {
    if (sortedNanos.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
    int index = Math.min(sortedNanos.length - 1, Math.max(0, rank - 1));
    return sortedNanos[index] / 1e6;
  }

  public int count() {
    return sortedNanos.length;
  }
}
