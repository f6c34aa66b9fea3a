package dev.hotpath.shared.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.sharding.ShardPlanner.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShardPlannerTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ShardingOptions options = new ShardingOptions(4, 16, SECOND);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void leasesEachShardOnceUntilItsWriteIntervalHasPassed() {
    ShardPlanner planner = new ShardPlanner(4, options, now::get, new Random(1));
    Set<Integer> leased = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      leased.add(planner.lease().orElseThrow());
    }
    assertEquals(Set.of(0, 1, 2, 3), leased);
    assertTrue(planner.lease().isEmpty());
    assertTrue(planner.untilWritable().isEmpty(), "all in flight: only a release frees one");

    planner.release(2, Outcome.WRITTEN);
    assertTrue(planner.lease().isEmpty(), "just written");
    assertEquals(SECOND, planner.untilWritable().orElseThrow());
    advance(Duration.ofMillis(400));
    assertEquals(Duration.ofMillis(600), planner.untilWritable().orElseThrow());
    advance(Duration.ofMillis(600));
    assertEquals(OptionalInt.of(2), planner.lease());
  }

  @Test
  void choosesRandomlyAmongWritableShards() {
    Set<Integer> firstChoices = new HashSet<>();
    for (int seed = 0; seed < 40; seed++) {
      firstChoices.add(
          new ShardPlanner(4, options, now::get, new Random(seed)).lease().orElseThrow());
    }
    assertEquals(Set.of(0, 1, 2, 3), firstChoices);
  }

  @Test
  void plannersSeedThemselvesSoNoTwoWalkTheShardsInTheSameOrder() {
    ShardingOptions wide = new ShardingOptions(64, 64, SECOND);
    List<List<Integer>> walks = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      ShardPlanner planner = new ShardPlanner(64, wide, now::get);
      List<Integer> walk = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        walk.add(planner.lease().orElseThrow());
      }
      walks.add(walk);
    }
    assertNotEquals(walks.get(0), walks.get(1));
    assertNotEquals(walks.get(1), walks.get(2));
  }

  @Test
  void keepsWritingItsOwnShardsAndTakesNewOnesOnlyWhenNoneIsWritable() {
    ShardingOptions wide = new ShardingOptions(64, 64, SECOND);
    ShardPlanner planner = new ShardPlanner(64, wide, now::get, new Random(7));
    Set<Integer> own = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      int shard = planner.lease().orElseThrow();
      own.add(shard);
      planner.release(shard, Outcome.WRITTEN);
    }
    for (int round = 0; round < 20; round++) {
      advance(SECOND);
      int shard = planner.lease().orElseThrow();
      assertTrue(
          own.contains(shard),
          "round " + round + " took a new shard " + shard + " while " + own + " were writable");
      planner.release(shard, Outcome.WRITTEN);
    }
  }

  @Test
  void aContendedShardIsLeftForOthersWhileFreeOnesRemain() {
    ShardPlanner planner = new ShardPlanner(4, options, now::get, new Random(3));
    int contended = planner.lease().orElseThrow();
    planner.release(contended, Outcome.CONTENDED);
    advance(SECOND);
    for (int i = 0; i < 3; i++) {
      int shard = planner.lease().orElseThrow();
      assertNotEquals(contended, shard);
    }
    assertEquals(
        OptionalInt.of(contended),
        planner.lease(),
        "taken when nothing else is writable: no write starves");
  }

  @Test
  void growsOnlyOnContentionAfterASuccessfulWriteAndNeverShrinks() {
    ShardPlanner planner = new ShardPlanner(4, options, now::get, new Random(1));
    // Every shard busy with its own writes: no contention, no growth.
    List<Integer> shards = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      shards.add(planner.lease().orElseThrow());
    }
    shards.forEach(s -> planner.release(s, Outcome.WRITTEN));
    assertTrue(planner.lease().isEmpty());
    assertTrue(
        planner.growthTarget(false).isEmpty(), "waiting on its own writes is not contention");

    // Contention on every write after one succeeded → double.
    advance(SECOND);
    for (int i = 0; i < 4; i++) {
      planner.release(planner.lease().orElseThrow(), Outcome.CONTENDED);
    }
    advance(SECOND);
    planner.lease();
    assertEquals(OptionalInt.of(8), planner.growthTarget(false));
    assertTrue(planner.growthTarget(false).isEmpty(), "held after a growth");
    planner.adopt(8);
    assertEquals(8, planner.count());
    planner.adopt(3);
    assertEquals(8, planner.count(), "never shrinks");
  }

  @Test
  void sustainedSaturationGrowsTheCountOnceAWriteSucceeded() {
    ShardPlanner planner = new ShardPlanner(4, options, now::get, new Random(1));
    assertTrue(planner.growthTarget(true).isEmpty(), "nothing written yet");
    writeEveryShardEachIntervalFor(planner, 3);
    assertTrue(planner.lease().isEmpty());
    assertEquals(OptionalInt.of(8), planner.growthTarget(true));
    planner.adopt(8);
    advance(SECOND);
    assertTrue(planner.growthTarget(true).isEmpty(), "the wider range is not yet used up");
    writeEveryShardEachIntervalFor(planner, 3);
    assertEquals(OptionalInt.of(16), planner.growthTarget(true));
  }

  @Test
  void aBurstThatFindsEveryShardBusyDoesNotGrowTheCount() {
    ShardPlanner planner = new ShardPlanner(4, options, now::get, new Random(1));
    writeEveryShardEachIntervalFor(planner, 1); // four writes at once, then nothing
    assertTrue(planner.lease().isEmpty());
    assertTrue(planner.growthTarget(true).isEmpty(), "one burst is not the load");
    advance(SECOND);
    writeEveryShardEachIntervalFor(planner, 2);
    assertTrue(planner.lease().isEmpty());
    assertEquals(OptionalInt.of(8), planner.growthTarget(true), "three intervals in a row are");
  }

  /** Writes every shard once per write interval for {@code intervals} intervals, ending busy. */
  private void writeEveryShardEachIntervalFor(ShardPlanner planner, int intervals) {
    for (int round = 0; round < intervals; round++) {
      if (round > 0) {
        advance(SECOND);
      }
      for (int i = 0; i < planner.count(); i++) {
        planner.release(planner.lease().orElseThrow(), Outcome.WRITTEN);
      }
    }
  }

  @Test
  void rareContentionDoesNotGrowTheCount() {
    ShardingOptions wide = new ShardingOptions(64, 128, SECOND);
    ShardPlanner planner = new ShardPlanner(64, wide, now::get, new Random(5));
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < 20; i++) {
        int shard = planner.lease().orElseThrow();
        planner.release(shard, i == 0 ? Outcome.CONTENDED : Outcome.WRITTEN); // one in 20
      }
      assertTrue(planner.growthTarget(false).isEmpty(), "round " + round);
      advance(SECOND);
    }
    assertEquals(64, planner.count());
  }

  @Test
  void anOwnerWhoseWritesNeverSucceededDoesNotGrow() {
    ShardPlanner planner = new ShardPlanner(4, options, now::get, new Random(1));
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 4; i++) {
        planner.release(planner.lease().orElseThrow(), Outcome.CONTENDED);
      }
      advance(SECOND);
      planner.lease().ifPresent(s -> planner.release(s, Outcome.FAILED));
      assertTrue(planner.growthTarget(false).isEmpty(), "round " + round);
      advance(SECOND);
    }
  }

  @Test
  void failuresOtherThanContentionNeverGrowTheCount() {
    ShardPlanner planner = new ShardPlanner(4, options, now::get, new Random(1));
    planner.release(planner.lease().orElseThrow(), Outcome.WRITTEN);
    for (int round = 0; round < 5; round++) {
      advance(SECOND);
      for (int i = 0; i < 4; i++) {
        planner.lease().ifPresent(s -> planner.release(s, Outcome.FAILED));
      }
      planner.lease();
      assertTrue(planner.growthTarget(false).isEmpty(), "round " + round);
    }
    assertEquals(4, planner.count());
  }

  @Test
  void growthStopsAtTheMaximumAndNewShardsAreWritableAtOnce() {
    ShardPlanner planner = new ShardPlanner(16, options, now::get, new Random(1));
    Set<Integer> leased = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      int shard = planner.lease().orElseThrow();
      leased.add(shard);
      planner.release(shard, i == 0 ? Outcome.WRITTEN : Outcome.CONTENDED);
    }
    assertEquals(16, leased.size());
    planner.lease();
    assertTrue(planner.growthTarget(false).isEmpty(), "at the maximum");

    ShardPlanner small = new ShardPlanner(4, options, now::get, new Random(1));
    small.adopt(16);
    Set<Integer> fresh = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      fresh.add(small.lease().orElseThrow());
    }
    assertEquals(16, fresh.size(), "new shards are writable at once");
  }
}
