package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.KeyFactory;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.engine.EmulatorStats;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.counters.CounterName;
import dev.hotpath.shared.counters.CounterService;
import dev.hotpath.shared.counters.CounterShardWriter;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.groupcommit.CommitThreads;
import dev.hotpath.shared.validation.InternalKinds;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one counter keep to their own shards: an instance about to write a shard new to
 * it reads it first, and leaves it to the instance that wrote it moments ago (ShardHoldings), so
 * that instance's next versioned write does not conflict and go on to take someone else's shard.
 * Runs on whichever backend is under test; the conflict count is our emulator's.
 */
class ShardHoldingsBackendTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(b -> b);

  /** Four shards, each written at most once a second by one instance (as in production). */
  private static final Map<String, String> SETTINGS =
      Map.of(
          "HOTPATH_DEFAULT_SHARDS", "4",
          "HOTPATH_MAX_SHARDS", "64",
          "HOTPATH_SHARD_WRITE_INTERVAL_MS", "1000",
          "HOTPATH_FLUSH_INTERVAL_MS", "0");

  @Test
  void aSecondInstanceWritesFreeShardsAndLeavesTheFirstInstancesAlone() throws Exception {
    CounterName name = new CounterName("held-" + System.nanoTime());
    try (Instance a = new Instance("a");
        Instance b = new Instance("b")) {
      // Each client checks once, with a deliberate conflict, that the backend honours versions.
      b.increment(new CounterName(name.value() + "-other"));
      a.increment(name); // takes a shard
      a.increment(name); // the first is within its write interval: takes a second one
      Map<Integer, Long> firsts = a.shardValues(name);
      assertEquals(2, firsts.size(), "a wrote two shards: " + firsts);
      long conflictsBefore = conflicts();

      for (int i = 0; i < 6; i++) {
        b.increment(name);
      }
      Map<Integer, Long> after = a.shardValues(name);
      for (int shard : firsts.keySet()) {
        assertEquals(1L, after.get(shard), "b left a's shard " + shard + " alone: " + after);
      }
      a.increment(name);
      a.increment(name);

      assertEquals(8, after.values().stream().mapToLong(Long::longValue).sum(), "a 2, b 6");
      assertEquals(10, a.counters.read(name).value(), "stored = acknowledged");
      if (datastore.ours().isPresent()) {
        assertEquals(
            conflictsBefore, conflicts(), "no instance's versioned write met the other's shard");
      }
    }
  }

  private static long conflicts() {
    return datastore.ours().map(e -> e.stats()).map(EmulatorStats::conflicts).orElse(0L);
  }

  /** One Write API instance's counters: its own client, commit threads and shard planners. */
  private static final class Instance implements AutoCloseable {
    final Datastore client;
    final CommitThreads threads;
    final CounterService counters;

    Instance(String name) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.putAll(WriteApiExtension.env(datastore, SETTINGS));
      WriteApiConfig config = WriteApiConfig.fromEnv(env);
      client = DatastoreClients.create(config.datastore());
      threads = new CommitThreads("holdings-" + name);
      counters = CounterService.from(client, config, threads);
    }

    void increment(CounterName name) throws Exception {
      counters.increment(name, 1).get(30, TimeUnit.SECONDS);
    }

    /** Value of every shard written so far, by index. */
    Map<Integer, Long> shardValues(CounterName name) {
      KeyFactory keys = client.newKeyFactory().setKind(InternalKinds.COUNTER_SHARD);
      Map<Integer, Long> values = new HashMap<>();
      for (int i = 0; i < 64; i++) {
        Entity shard = client.get(keys.newKey(CounterShardWriter.shardName(name.value(), i)));
        if (shard != null) {
          values.put(i, shard.getLong("value"));
        }
      }
      return values;
    }

    @Override
    public void close() throws Exception {
      threads.close();
      client.close();
    }
  }
}
