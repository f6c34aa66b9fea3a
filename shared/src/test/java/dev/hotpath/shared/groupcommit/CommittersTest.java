package dev.hotpath.shared.groupcommit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.config.CommitOptions;
import dev.hotpath.shared.retry.RetryPolicy;
import dev.hotpath.shared.sharding.ShardingOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-owner registry: no owner's loading holds up another, and idle owners are dropped. */
class CommittersTest {
  private static final Logger LOG = Logger.getLogger(CommittersTest.class.getName());
  private static final BatchWriter<Long, Integer> LEDGER =
      flush -> Collections.nCopies(flush.items().size(), flush.shard());
  private static final ShardingOptions ONE_SHARD = new ShardingOptions(1, 1, Duration.ZERO);
  private static final CommitOptions AT_ONCE =
      new CommitOptions(
          Duration.ZERO,
          100,
          1,
          10,
          Duration.ZERO,
          new RetryPolicy(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(30)));

  private final CommitThreads threads = new CommitThreads("committers-test");
  private final AtomicLong now = new AtomicLong();

  @AfterEach
  void stop() {
    threads.close();
  }

  @Test
  void loadingOneOwnersShardCountHoldsUpNoOtherOwner() throws Exception {
    CountDownLatch slowLoad = new CountDownLatch(1);
    ShardCounts counts =
        (owner, atLeast) -> {
          if (owner.equals("slow")) {
            try {
              slowLoad.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return atLeast;
        };
    Committers<Long, Integer> committers =
        new Committers<>(o -> LEDGER, counts, ONE_SHARD, AT_ONCE, threads, now::get);

    CompletableFuture<Integer> slow =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> committers.submit("slow", 1L),
            "submitting must not block");
    assertEquals(
        0,
        committers.submit("fast", 1L).get(5, TimeUnit.SECONDS),
        "another owner is answered meanwhile");
    assertFalse(slow.isDone());
    slowLoad.countDown();
    assertEquals(0, slow.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aFailedLoadFailsItsItemsAndTheNextItemTriesAgain() throws Exception {
    AtomicLong loads = new AtomicLong();
    ShardCounts flaky =
        (owner, atLeast) -> {
          if (loads.incrementAndGet() == 1) {
            throw new IllegalStateException("Datastore unavailable");
          }
          return atLeast;
        };
    Committers<Long, Integer> committers =
        new Committers<>(o -> LEDGER, flaky, ONE_SHARD, AT_ONCE, threads, now::get);
    CompletableFuture<Integer> first = committers.submit("c", 1L);
    assertTrue(
        assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> first.handle((v, e) -> e != null).join()),
        "the item waiting on the failed load fails");
    assertEquals(0, committers.submit("c", 1L).get(5, TimeUnit.SECONDS));
  }

  /**
   * Distinct owners touched over time, in waves: after each wave has gone idle for the eviction
   * time, none is kept, so what an instance holds follows its recent owners, not all it ever saw.
   * The heap after each eviction is logged; {@code -Dhotpath.owners.perWave=100000} makes it the
   * million owners docs/scale-out.md quotes.
   */
  @Test
  void idleCommittersAreEvictedSoOwnersTouchedOverTimeKeepMemoryFlat() throws Exception {
    Committers<Long, Integer> committers =
        new Committers<>(
            o -> LEDGER, (o, atLeast) -> atLeast, ONE_SHARD, AT_ONCE, threads, now::get);
    int waves = 10;
    int perWave = Integer.getInteger("hotpath.owners.perWave", 20_000);
    List<Long> heapAfterEviction = new ArrayList<>();
    for (int wave = 0; wave < waves; wave++) {
      List<CompletableFuture<Integer>> acks = new ArrayList<>(perWave);
      for (int i = 0; i < perWave; i++) {
        acks.add(committers.submit("owner-" + wave + "-" + i, 1L));
      }
      CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      assertEquals(perWave, committers.size(), "wave " + wave + " is held while recent");
      now.addAndGet(Committers.IDLE_EVICTION.toNanos());
      committers.evictIdle();
      assertEquals(0, committers.size(), "wave " + wave + " evicted once idle");
      System.gc();
      Runtime rt = Runtime.getRuntime();
      heapAfterEviction.add((rt.totalMemory() - rt.freeMemory()) / (1 << 20));
    }
    LOG.info("heap MiB after each eviction of " + perWave + " idle owners: " + heapAfterEviction);
  }
}
