package dev.hotpath.shared.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Flush latency in fixed buckets: recording is one bucket search over a dozen bounds and one adder
 * increment, no allocation. The bounds are milliseconds; the last bucket is open.
 */
public final class LatencyHistogram {
  /** Upper bounds (inclusive) of the buckets, in milliseconds; one more bucket holds the rest. */
  public static final List<Long> BOUNDS_MILLIS =
      List.of(1L, 2L, 5L, 10L, 20L, 50L, 100L, 200L, 500L, 1000L, 2000L, 5000L, 10000L);

  private static final long[] BOUNDS = BOUNDS_MILLIS.stream().mapToLong(Long::longValue).toArray();

  private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
  private final LongAdder sumMillis = new LongAdder();

  LatencyHistogram() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** Records one flush that took {@code nanos}. */
  public void record(long nanos) {
    long millis = Math.max(0, nanos / 1_000_000);
    int i = 0;
    while (i < BOUNDS.length && millis > BOUNDS[i]) {
      i++;
    }
    buckets[i].increment();
    sumMillis.add(millis);
  }

  Histogram snapshot() {
    long[] counts = new long[buckets.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = buckets[i].sum();
    }
    return new Histogram(counts, sumMillis.sum());
  }
}
