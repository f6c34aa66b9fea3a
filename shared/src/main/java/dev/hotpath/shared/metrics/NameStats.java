package dev.hotpath.shared.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The live figures of one counter or group name in this instance. Adders, not locks: many commit
 * threads record into one name at once, and a read (a snapshot) may be a moment behind.
 */
public final class NameStats {
  final String name;
  final LongAdder acknowledged = new LongAdder();
  final LongAdder commits = new LongAdder();
  final LongAdder unavailable = new LongAdder();
  volatile int shards;
  volatile long lastWriteMillis;

  NameStats(String name) {
    this.name = name;
  }

  /** {@code items} increments (or appends) were acknowledged by one commit at {@code nowMillis}. */
  public void committed(int items, long nowMillis) {
    acknowledged.add(items);
    commits.increment();
    lastWriteMillis = nowMillis;
  }

  /** {@code items} callers were answered 503 (retry budget spent). */
  public void unavailable(int items) {
    unavailable.add(items);
  }

  /** The shard count this instance now writes across. */
  public void shards(int count) {
    shards = count;
  }

  NameFigures figures() {
    return new NameFigures(
        name,
        acknowledged.sum(),
        commits.sum(),
        unavailable.sum(),
        shards,
        lastWriteMillis == 0 ? null : java.time.Instant.ofEpochMilli(lastWriteMillis));
  }
}
