package dev.hotpath.shared.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShardPlannerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ShardingOptions options =
      ShardingOptions.builder().defaultShards(4).maxShards(16).minWriteInterval(Duration.ofSeconds(1)).build();

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

    planner.release(2);
    assertTrue(planner.lease().isEmpty(), "just written");
    assertEquals(Duration.ofSeconds(1), planner.untilWritable().orElseThrow());
    now.addAndGet(Duration.ofMillis(400).toNanos());
    assertEquals(Duration.ofMillis(600), planner.untilWritable().orElseThrow());
    now.addAndGet(Duration.ofMillis(600).toNanos());
    assertEquals(OptionalInt.of(2), planner.lease());
  }

  @Test
  void choosesRandomlyAmongWritableShards() {
    Set<Integer> firstChoices = new HashSet<>();
    for (int seed = 0; seed < 40; seed++) {
      firstChoices.add(new ShardPlanner(4, options, now::get, new Random(seed)).lease().orElseThrow());
    }
    assertEquals(Set.of(0, 1, 2, 3), firstChoices);
  }

  @Test
  void growsByDoublingAtMostOncePerIntervalUpToTheMaximumAndNeverShrinks() {
    ShardPlanner planner = new ShardPlanner(4, options, now::get, new Random(1));
    assertEquals(OptionalInt.of(8), planner.growthTarget());
    assertTrue(planner.growthTarget().isEmpty(), "too soon after the last growth");
    planner.adopt(8);
    assertEquals(8, planner.count());
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertEquals(OptionalInt.of(16), planner.growthTarget());
    planner.adopt(16);
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertTrue(planner.growthTarget().isEmpty(), "at the maximum");
    planner.adopt(3);
    assertEquals(16, planner.count());
    Set<Integer> leased = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      leased.add(planner.lease().orElseThrow());
    }
    assertEquals(16, leased.size(), "new shards are writable at once");
  }
}
