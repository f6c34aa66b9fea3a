package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DatastoreEmulator.Builder#commitLatency}: every commit takes at least the latency, and the
 * latency is not spent holding the commit lock, so concurrent commits overlap. Only lower bounds
 * and a bound that serialized commits could not meet: no timing upper bound that a busy machine
 * could break.
 */
class CommitLatencyTest {
  private static final Duration LATENCY = Duration.ofMillis(500);
  private static final int CONCURRENT = 8;

  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.commitLatency(LATENCY));

  @Test
  void everyCommitTakesAtLeastTheLatency() {
    Datastore ds = Clients.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Counter").newKey("slow");
    for (long n = 1; n <= 2; n++) {
      long start = System.nanoTime();
      ds.put(Entity.newBuilder(key).set("n", n).build());
      long took = System.nanoTime() - start;
      assertTrue(took >= LATENCY.toNanos(), "commit " + n + " took " + took / 1_000_000 + " ms");
    }
    assertEquals(2, ds.get(key).getLong("n"));
  }

  @Test
  void concurrentCommitsOverlap() throws Exception {
    Datastore ds = Clients.noRetry(datastore);
    ds.put(
        Entity.newBuilder(ds.newKeyFactory().setKind("Counter").newKey("warm-up"))
            .set("n", 0)
            .build());
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Long>> commits = new ArrayList<>();
      for (int i = 0; i < CONCURRENT; i++) {
        Key key = ds.newKeyFactory().setKind("Counter").newKey("c" + i);
        commits.add(
            pool.submit(
                () -> {
                  go.await();
                  long start = System.nanoTime();
                  ds.put(Entity.newBuilder(key).set("n", 1).build());
                  return System.nanoTime() - start;
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<Long> commit : commits) {
        assertTrue(commit.get() >= LATENCY.toNanos(), "each commit still takes the latency");
      }
      long all = System.nanoTime() - start;
      long serialized = CONCURRENT * LATENCY.toNanos();
      assertTrue(
          all < serialized,
          CONCURRENT
              + " concurrent commits took "
              + all / 1_000_000
              + " ms; one after the other they take at least "
              + serialized / 1_000_000
              + " ms");
      assertEquals(1 + CONCURRENT, datastore.emulator().stats().commits());
    } finally {
      pool.shutdownNow();
    }
  }
}
