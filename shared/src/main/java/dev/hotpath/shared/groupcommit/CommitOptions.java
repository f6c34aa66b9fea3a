package dev.hotpath.shared.groupcommit;

import dev.hotpath.shared.retry.RetryPolicy;
import java.time.Duration;

/**
 * How a {@link GroupCommitter} batches: the first item of a batch waits {@code window} for others,
 * a batch holds at most {@code maxBatch} items, at most {@code maxInFlight} batches of one owner
 * are being written at once (1: everything arriving during a write joins the next one), a ready batch that waited {@code growAfterWait}
 * for a writable shard doubles the shard count, and each item is given up (503) once {@code
 * retry.budget()} has passed since it arrived.
 */
public record CommitOptions(
    Duration window, int maxBatch, int maxInFlight, Duration growAfterWait, RetryPolicy retry) {
  public CommitOptions {
    if (window.isNegative() || maxBatch < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("need window >= 0, maxBatch >= 1 and maxInFlight >= 1");
    }
  }
}
