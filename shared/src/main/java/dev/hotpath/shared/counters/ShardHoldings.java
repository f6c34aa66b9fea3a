package dev.hotpath.shared.counters;

import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Value;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Which instance holds a shard, as the shard itself records it: every write stamps the writer (a
 * random id of this instance's counters) and the time. An instance about to take a shard new to it
 * reads the shard first; if another writer stamped it within {@link #HELD_INTERVALS} write
 * intervals, that instance is writing it, and taking it would make that instance's next versioned
 * write conflict and send it, in turn, to take someone else's — contention passed round the
 * instances for as long as the load lasts. Skipping the shard instead costs this instance the one
 * read. A shard its holder stopped writing (the instance went away, or its load fell) is free again
 * after the window.
 *
 * <p>The stamp is wall-clock time from different machines: Google's clocks agree far more closely
 * than the window (seconds), and a wrong answer costs speed, never exactness — the versioned commit
 * decides.
 */
final class ShardHoldings {
  /**
   * How many write intervals a shard stays its writer's: an instance writes each shard it holds
   * about once per interval while its load lasts, so a stamp older than a few is a shard let go.
   */
  static final int HELD_INTERVALS = 5;

  static final String WRITER = "writer";
  static final String WRITTEN_AT = "writtenAt";
  private static final SecureRandom IDS = new SecureRandom();

  private final String writer;
  private final Clock clock;
  private final long heldMillis;

  /**
   * @param minWriteInterval the least time between two writes of one shard by one instance; zero
   *     turns the check off (every shard counts as free)
   */
  ShardHoldings(Clock clock, Duration minWriteInterval) {
    byte[] id = new byte[8];
    IDS.nextBytes(id);
    this.writer = HexFormat.of().formatHex(id);
    this.clock = clock;
    this.heldMillis = minWriteInterval.multipliedBy(HELD_INTERVALS).toMillis();
  }

  /** Adds this instance's stamp, now, to a shard about to be written. */
  Entity.Builder stamp(Entity.Builder shard) {
    return shard
        .putProperties(WRITER, unindexed(Value.newBuilder().setStringValue(writer)))
        .putProperties(WRITTEN_AT, unindexed(Value.newBuilder().setIntegerValue(clock.millis())));
  }

  /** Whether another instance wrote {@code shard} within the window, so it is writing it still. */
  boolean heldByAnother(Entity shard) {
    Value by = shard.getPropertiesOrDefault(WRITER, null);
    Value at = shard.getPropertiesOrDefault(WRITTEN_AT, null);
    if (heldMillis == 0 || by == null || at == null || writer.equals(by.getStringValue())) {
      return false;
    }
    long age = clock.millis() - at.getIntegerValue();
    return age < heldMillis && age > -heldMillis;
  }

  private static Value unindexed(Value.Builder value) {
    return value.setExcludeFromIndexes(true).build();
  }
}
