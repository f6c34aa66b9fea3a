package dev.hotpath.shared.counters;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.datastore.v1.Entity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The holding rule on stamped shards, at fixed instants. */
class ShardHoldingsTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Instant T0 = Instant.parse("2026-12-08T00:00:00Z");

  private static ShardHoldings at(Instant now, Duration interval) {
    return new ShardHoldings(Clock.fixed(now, ZoneOffset.UTC), interval);
  }

  private static Entity stamped(ShardHoldings writer) {
    return writer.stamp(Entity.newBuilder()).build();
  }

  @Test
  void aShardAnotherInstanceWroteWithinFiveIntervalsIsHeld() {
    Entity shard = stamped(at(T0, INTERVAL));
    assertTrue(at(T0.plusMillis(4_999), INTERVAL).heldByAnother(shard));
    assertFalse(at(T0.plusMillis(5_000), INTERVAL).heldByAnother(shard), "let go");
  }

  @Test
  void ourOwnShardsUnstampedShardsAndAZeroIntervalAreNeverHeld() {
    ShardHoldings us = at(T0, INTERVAL);
    assertFalse(us.heldByAnother(stamped(us)));
    assertFalse(us.heldByAnother(Entity.getDefaultInstance()), "written before stamps existed");
    assertFalse(at(T0, Duration.ZERO).heldByAnother(stamped(at(T0, Duration.ZERO))));
  }

  @Test
  void aStampFromAClockFarAheadDoesNotHoldTheShardForEver() {
    Entity fromTheFuture = stamped(at(T0.plusSeconds(60), INTERVAL));
    assertFalse(at(T0, INTERVAL).heldByAnother(fromTheFuture));
    assertTrue(at(T0, INTERVAL).heldByAnother(stamped(at(T0.plusSeconds(2), INTERVAL))));
  }
}
