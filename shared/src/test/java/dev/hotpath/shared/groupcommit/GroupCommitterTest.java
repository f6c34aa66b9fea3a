package dev.hotpath.shared.groupcommit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.config.CommitOptions;
import dev.hotpath.shared.datastore.WriteFailure;
import dev.hotpath.shared.retry.RetryPolicy;
import dev.hotpath.shared.sharding.ShardPlanner;
import dev.hotpath.shared.sharding.ShardingOptions;
import dev.hotpath.shared.validation.UnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The group commit engine against an in-memory ledger of shards that behaves like Datastore's
 * commit semantics (idempotent under the flush id, failures injected per attempt), in {@link
 * VirtualTime}: windows, pacing, cooling and budgets take no real time. The same engine runs
 * against the real emulator in the HTTP integration tests.
 */
class GroupCommitterTest {
  private static final Long POISON = 100L;
  private final VirtualTime time = new VirtualTime();

  /**
   * Shards as sums, applied at most once per flush id; {@code script} scripts attempt outcomes and
   * a batch holding {@link #POISON} fails permanently.
   */
  private static final class Ledger implements BatchWriter<Long, Integer> {
    final Map<Integer, Long> shards = new HashMap<>();
    final Set<String> applied = new HashSet<>();
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    final List<WriteFailure.Kind> script = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger commits = new AtomicInteger();
    volatile boolean applyBeforeFailing = true;

    @Override
    public synchronized List<Integer> write(Flush<Long> flush) throws WriteFailure {
      if (flush.items().contains(POISON)) {
        throw new WriteFailure(WriteFailure.Kind.PERMANENT, "poison", null);
      }
      WriteFailure.Kind failure = script.isEmpty() ? null : script.remove(0);
      if (failure == WriteFailure.Kind.NOT_APPLIED
          || failure == WriteFailure.Kind.CONTENDED
          || failure == WriteFailure.Kind.HELD_ELSEWHERE
          || failure == WriteFailure.Kind.PERMANENT) {
        throw new WriteFailure(failure, "scripted", null);
      }
      if (!applied.contains(flush.id())) {
        if (failure == null || applyBeforeFailing) {
          applied.add(flush.id());
          shards.merge(
              flush.shard(), flush.items().stream().mapToLong(Long::longValue).sum(), Long::sum);
          commits.incrementAndGet();
          batchSizes.add(flush.items().size());
        }
      }
      if (failure == WriteFailure.Kind.OUTCOME_UNKNOWN) {
        throw new WriteFailure(failure, "scripted lost response", null);
      }
      return Collections.nCopies(flush.items().size(), flush.shard());
    }

    synchronized long total() {
      return shards.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private GroupCommitter<Long, Integer> committer(
      Ledger ledger, int shards, Duration interval, Duration budget) {
    return committer(ledger, shards, shards * 4, interval, budget);
  }

  private GroupCommitter<Long, Integer> committer(
      Ledger ledger, int shards, int maxShards, Duration interval, Duration budget) {
    return committer(ledger, shards, maxShards, interval, budget, Duration.ZERO);
  }

  private GroupCommitter<Long, Integer> committer(
      Ledger ledger,
      int shards,
      int maxShards,
      Duration interval,
      Duration budget,
      Duration flushInterval) {
    RetryPolicy retry = new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(20), budget);
    return committer(
        ledger,
        new ShardingOptions(shards, maxShards, interval),
        new CommitOptions(Duration.ofMillis(2), 100, 2, 10, flushInterval, retry));
  }

  private GroupCommitter<Long, Integer> committer(
      Ledger ledger, ShardingOptions sharding, CommitOptions options) {
    ShardPlanner planner =
        new ShardPlanner(sharding.defaultShards(), sharding, time::nanoTime, new Random(3));
    return new GroupCommitter<>(
        "test",
        ledger,
        planner,
        target -> target,
        options,
        Duration.ofSeconds(1),
        time.scheduler(),
        time.workers(),
        time::nanoTime);
  }

  @Test
  void concurrentSubmissionsAreMergedAndAllAcknowledgedOnce() throws Exception {
    Ledger ledger = new Ledger();
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 2, Duration.ofMillis(50), Duration.ofSeconds(30));
    List<CompletableFuture<Integer>> acks = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      acks.add(committer.submit(1L));
    }
    for (CompletableFuture<Integer> ack : acks) {
      await(ack);
    }
    assertEquals(1000, ledger.total());
    assertTrue(ledger.commits.get() <= 20, "merged into few writes: " + ledger.commits.get());
    assertTrue(ledger.batchSizes.stream().allMatch(n -> n <= 100), "max batch respected");
  }

  @Test
  void unknownOutcomesAreRetriedOnTheSameShardAndAppliedOnce() throws Exception {
    Ledger ledger = new Ledger();
    ledger.script.addAll(
        List.of(WriteFailure.Kind.OUTCOME_UNKNOWN, WriteFailure.Kind.OUTCOME_UNKNOWN));
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 4, Duration.ZERO, Duration.ofSeconds(30));
    assertEquals(await(committer.submit(5L)), ledger.shards.keySet().iterator().next());
    assertEquals(5, ledger.total());
    assertEquals(1, ledger.commits.get());
  }

  @Test
  void unknownOutcomeThatDidNotLandIsWrittenOnRetry() throws Exception {
    Ledger ledger = new Ledger();
    ledger.applyBeforeFailing = false;
    ledger.script.add(WriteFailure.Kind.OUTCOME_UNKNOWN);
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 4, Duration.ZERO, Duration.ofSeconds(30));
    await(committer.submit(7L));
    assertEquals(7, ledger.total());
  }

  @Test
  void contentionMovesTheBatchAndPermanentFailuresAreIsolated() throws Exception {
    Ledger ledger = new Ledger();
    ledger.script.addAll(List.of(WriteFailure.Kind.NOT_APPLIED, WriteFailure.Kind.NOT_APPLIED));
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 4, Duration.ZERO, Duration.ofSeconds(30));
    await(committer.submit(3L));
    assertEquals(3, ledger.total());

    // Merged or not, the poisoned item fails alone and its neighbours are written.
    CompletableFuture<Integer> bad = committer.submit(POISON);
    CompletableFuture<Integer> good = committer.submit(1L);
    await(good);
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(bad));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(4, ledger.total());
  }

  @Test
  void whenNoShardCanTakeTheWriteInTimeTheCallerGetsUnavailable() throws Exception {
    Ledger ledger = new Ledger();
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 1, 1, Duration.ofSeconds(60), Duration.ofMillis(300));
    await(committer.submit(1L)); // the only shard, which cannot grow, is now cooling for a minute
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> await(committer.submit(1L)));
    UnavailableException u = assertInstanceOf(UnavailableException.class, e.getCause());
    assertEquals(Duration.ofSeconds(1), u.retryAfter());
    assertEquals(1, ledger.total(), "the refused increment was not written");
  }

  @Test
  void waitingForItsOwnShardsDoesNotGrowTheShardCount() throws Exception {
    Ledger ledger = new Ledger();
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 1, 8, Duration.ofMillis(300), Duration.ofSeconds(30));
    for (int i = 0; i < 3; i++) {
      await(committer.submit(1L)); // each waits for the only shard to cool
    }
    assertEquals(1, committer.shardCount());
    assertEquals(3, ledger.total());
  }

  @Test
  void batchesWorthACommitThatFindEveryShardBusyUnderSustainedLoadGrowTheShardCount()
      throws Exception {
    Ledger ledger = new Ledger();
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 1, 8, Duration.ofMillis(50), Duration.ofSeconds(30));
    for (int i = 0; i < 8; i++) {
      await(committer.submit(1L)); // the only shard, written as often as it can take
    }
    assertEquals(1, committer.shardCount(), "waiting for its own shard is not saturation");
    submitTogetherAndAwait(committer, 10); // an eager batch (10) finds it busy: saturation
    assertEquals(2, committer.shardCount());
    assertEquals(18, ledger.total());
  }

  @Test
  void aBatchWorthACommitThatFindsAnIdleOwnersShardBusyDoesNotGrowIt() throws Exception {
    Ledger ledger = new Ledger();
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 1, 8, Duration.ofSeconds(2), Duration.ofSeconds(30));
    await(committer.submit(1L)); // the only shard now cools for two seconds
    submitTogetherAndAwait(committer, 10); // a burst, not a load the shard cannot take
    assertEquals(1, committer.shardCount());
    assertEquals(11, ledger.total());
  }

  @Test
  void contentionOnEveryShardAfterAWriteSucceededGrowsTheShardCount() throws Exception {
    assertEquals(4, shardsAfterAWriteThenFailures(WriteFailure.Kind.CONTENDED, 3));
  }

  @Test
  void shardsHeldByOtherInstancesAreEvidenceForGrowthEvenBeforeAWriteOfOurOwn() throws Exception {
    Ledger ledger = new Ledger();
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 2, 8, Duration.ofMillis(50), Duration.ofSeconds(30));
    // Another instance's recent write of these shards shows the owner's writes work.
    ledger.script.addAll(Collections.nCopies(3, WriteFailure.Kind.HELD_ELSEWHERE));
    await(committer.submit(1L));
    assertEquals(1, ledger.total());
    assertEquals(4, committer.shardCount());
  }

  @Test
  void contentionBeforeAnyWriteOfOurOwnDoesNotGrowTheShardCount() throws Exception {
    Ledger ledger = new Ledger();
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 2, 8, Duration.ofMillis(50), Duration.ofSeconds(30));
    ledger.script.addAll(Collections.nCopies(3, WriteFailure.Kind.CONTENDED));
    await(committer.submit(1L));
    assertEquals(2, committer.shardCount());
  }

  @Test
  void abortsThatAreNotContentionNeverGrowTheShardCount() throws Exception {
    assertEquals(
        2, shardsAfterAWriteThenFailures(WriteFailure.Kind.NOT_APPLIED, 6)); // e.g. lock timeouts
  }

  /**
   * The shard count after one write and then a write that first fails {@code times} with {@code
   * kind}.
   */
  private int shardsAfterAWriteThenFailures(WriteFailure.Kind kind, int times) throws Exception {
    Ledger ledger = new Ledger();
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 2, 8, Duration.ofMillis(50), Duration.ofSeconds(30));
    await(committer.submit(1L));
    ledger.script.addAll(Collections.nCopies(times, kind));
    await(committer.submit(1L));
    assertEquals(2, ledger.total());
    return committer.shardCount();
  }

  @Test
  void aWriterAnsweringTooFewResultsFailsItsItemsAndFreesTheShard() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    BatchWriter<Long, Integer> shortchanging =
        flush ->
            calls.incrementAndGet() == 1
                ? List.of()
                : Collections.nCopies(flush.items().size(), flush.shard());
    ShardingOptions sharding = new ShardingOptions(1, 1, Duration.ZERO);
    RetryPolicy retry =
        new RetryPolicy(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(30));
    GroupCommitter<Long, Integer> committer =
        new GroupCommitter<>(
            "short",
            shortchanging,
            new ShardPlanner(1, sharding, time::nanoTime),
            target -> target,
            new CommitOptions(Duration.ofMillis(1), 100, 1, 10, Duration.ZERO, retry),
            Duration.ofSeconds(1),
            time.scheduler(),
            time.workers(),
            time::nanoTime);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> await(committer.submit(1L)));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals(
        0, await(committer.submit(2L)), "the only shard and the in-flight slot are free again");
  }

  @Test
  void underLoadAnInstanceFlushesAtMostOncePerFlushInterval() throws Exception {
    Ledger ledger = new Ledger();
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 64, 64, Duration.ZERO, Duration.ofSeconds(30), Duration.ofMillis(100));
    long started = time.nanoTime();
    List<CompletableFuture<Integer>> acks = new ArrayList<>();
    while (time.since(started).compareTo(Duration.ofMillis(600)) < 0) {
      acks.add(committer.submit(1L));
      await(acks.get(acks.size() - 1));
    }
    double elapsedIntervals = time.since(started).toNanos() / 1e8;
    assertTrue(
        ledger.commits.get() <= GroupCommitter.FLUSH_BURST + elapsedIntervals + 1,
        ledger.commits.get() + " commits in " + elapsedIntervals + " intervals");
    assertEquals(acks.size(), ledger.total());
  }

  @Test
  void batchesOfTheEagerSizeAreNotPaced() throws Exception {
    Ledger ledger = new Ledger();
    // A minute's interval: were these batches paced, the fifth round would wait a minute for it.
    GroupCommitter<Long, Integer> committer =
        committer(ledger, 64, 64, Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(1));
    long started = time.nanoTime();
    for (int round = 0; round < 8; round++) {
      submitTogetherAndAwait(committer, 10);
    }
    assertEquals(80, ledger.total());
    assertTrue(
        time.since(started).compareTo(Duration.ofSeconds(1)) < 0,
        "eight rounds took " + time.since(started));
  }

  @Test
  void aBatchAsFullAsTheLastFlushGoesWithoutWaitingForTheWindow() throws Exception {
    Ledger ledger = new Ledger();
    // A window of a minute, eager batches of 3, no pacing.
    GroupCommitter<Long, Integer> committer =
        committer(
            ledger,
            new ShardingOptions(64, 64, Duration.ZERO),
            new CommitOptions(
                Duration.ofMinutes(1),
                100,
                2,
                3,
                Duration.ZERO,
                new RetryPolicy(
                    Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofMinutes(5))));

    long started = time.nanoTime();
    submitTogetherAndAwait(committer, 5);
    assertTrue(
        time.since(started).compareTo(Duration.ofSeconds(1)) < 0,
        "an eager batch goes at once, with whatever joined it meanwhile: " + time.since(started));

    started = time.nanoTime();
    submitTogetherAndAwait(committer, 5);
    assertTrue(
        time.since(started).compareTo(Duration.ofSeconds(1)) < 0,
        "as many as the last flush took (callers answered together, back together) go at once: "
            + time.since(started));

    started = time.nanoTime();
    submitTogetherAndAwait(committer, 4);
    assertTrue(
        time.since(started).compareTo(Duration.ofSeconds(30)) > 0,
        "fewer than the last flush took wait in the window for the rest: " + time.since(started));
    assertEquals(List.of(5, 5, 4), ledger.batchSizes);
  }

  /** On real threads: the first write blocks its worker until the second has been written. */
  @Test
  void aBatchWorthACommitDoesNotWaitBehindAWriteInFlight() throws Exception {
    try (CommitThreads threads = new CommitThreads("test")) {
      aBatchWorthACommitDoesNotWaitBehindAWriteInFlight(threads);
    }
  }

  private static void aBatchWorthACommitDoesNotWaitBehindAWriteInFlight(CommitThreads threads)
      throws Exception {
    CountDownLatch firstInFlight = new CountDownLatch(1);
    CountDownLatch firstMayFinish = new CountDownLatch(1);
    List<Integer> shardsWritten = Collections.synchronizedList(new ArrayList<>());
    BatchWriter<Long, Integer> firstBlocks =
        flush -> {
          if (flush.items().size() == 5) {
            firstInFlight.countDown();
            awaitUninterruptibly(firstMayFinish); // a slow commit: the first batch stays in flight
          }
          shardsWritten.add(flush.shard());
          return Collections.nCopies(flush.items().size(), flush.shard());
        };
    ShardingOptions sharding = new ShardingOptions(4, 4, Duration.ZERO);
    // A window of a minute: only a full batch (5) or an eager one (3) during a write goes sooner.
    GroupCommitter<Long, Integer> committer =
        new GroupCommitter<>(
            "eager",
            firstBlocks,
            new ShardPlanner(4, sharding, System::nanoTime, new Random(5)),
            target -> target,
            new CommitOptions(
                Duration.ofMinutes(1),
                5,
                2,
                3,
                Duration.ofMinutes(1),
                new RetryPolicy(
                    Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(10))),
            Duration.ofSeconds(1),
            threads.scheduler(),
            threads.workers(),
            System::nanoTime);
    // The scheduler's one thread waits until all five are queued: the third already makes a batch
    // worth a commit, and a drain that ran before the rest arrived would split the five.
    CountDownLatch firstFiveQueued = new CountDownLatch(1);
    threads.scheduler().execute(() -> awaitUninterruptibly(firstFiveQueued));
    List<CompletableFuture<Integer>> first = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      first.add(committer.submit(1L));
    }
    firstFiveQueued.countDown();
    // The second three arrive once the first write is in flight, not while it is being drained.
    assertTrue(firstInFlight.await(30, TimeUnit.SECONDS), "the first five are being written");
    List<CompletableFuture<Integer>> second = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      second.add(committer.submit(1L));
    }
    int secondShard = second.get(0).get(30, TimeUnit.SECONDS);
    for (CompletableFuture<Integer> ack : second) {
      assertEquals(secondShard, ack.get(30, TimeUnit.SECONDS));
    }
    assertTrue(
        first.stream().noneMatch(CompletableFuture::isDone), "the first write is still in flight");
    firstMayFinish.countDown();
    int firstShard = first.get(0).get(30, TimeUnit.SECONDS);
    assertTrue(
        firstShard != secondShard,
        "two writes in flight at once take two shards: " + shardsWritten);
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs virtual time until {@code ack} is done, and its result. */
  private <V> V await(CompletableFuture<V> ack) throws ExecutionException, InterruptedException {
    return time.runUntil(ack).get();
  }

  /** Submits {@code n} increments of 1 at once and waits for every acknowledgement. */
  private void submitTogetherAndAwait(GroupCommitter<Long, Integer> committer, int n)
      throws Exception {
    List<CompletableFuture<Integer>> acks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      acks.add(committer.submit(1L));
    }
    for (CompletableFuture<Integer> ack : acks) {
      await(ack);
    }
  }
}
