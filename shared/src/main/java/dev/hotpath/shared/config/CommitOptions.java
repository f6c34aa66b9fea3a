package dev.hotpath.shared.config;

import dev.hotpath.shared.retry.RetryPolicy;
import java.time.Duration;

/**
 * How a {@link dev.hotpath.shared.groupcommit.GroupCommitter} batches. The first item of a batch
 * waits {@code window} for others; a batch holds at most {@code maxBatch} items; at most {@code
 * maxInFlight} batches of one owner are being written at once (1: everything arriving during a
 * write joins the next one). A batch of at least {@code eagerBatch} items is written as soon as a
 * shard allows (it is worth its commit); a smaller one waits until {@code flushInterval} after the
 * instance's previous write of the owner (after a burst of a few), the latency budget of
 * coalescing. So one owner takes at most increments ÷ eagerBatch + instances ÷ interval commits per
 * second; contention stretches the interval up to {@value #MAX_INTERVAL_FACTOR} times. Each item is
 * given up (503) once {@code retry.budget()} has passed since it arrived.
 */
public record CommitOptions(
    Duration window,
    int maxBatch,
    int maxInFlight,
    int eagerBatch,
    Duration flushInterval,
    RetryPolicy retry) {
  /** How far contention may stretch the flush interval. */
  public static final int MAX_INTERVAL_FACTOR = 8;

  public CommitOptions {
    if (window.isNegative()
        || flushInterval.isNegative()
        || maxBatch < 1
        || maxInFlight < 1
        || eagerBatch < 1) {
      throw new IllegalArgumentException(
          "need window >= 0, flushInterval >= 0, maxBatch >= 1, maxInFlight >= 1 and eagerBatch >= 1");
    }
  }
}
