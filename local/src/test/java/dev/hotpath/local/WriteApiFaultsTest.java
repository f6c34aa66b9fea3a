package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.engine.EmulatorStats;
import dev.hotpath.emulators.datastore.engine.Faults;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.local.bench.HttpJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With lost responses (commit applied, answer DEADLINE_EXCEEDED), UNAVAILABLE and DEADLINE_EXCEEDED
 * injected into a fair share of all Datastore calls, every acknowledged write is applied exactly
 * once.
 */
class WriteApiFaultsTest {
  private static final Faults FAULTS =
      Faults.parse("unavailable=0.05,deadline-exceeded=0.03,lost-response=0.15,seed=7");

  /** What the Write API runs with; the emulator enforces the indexes these settings need. */
  private static final Map<String, String> SETTINGS =
      Map.of(
          "HOTPATH_ALLOWED_KINDS", "Message",
          "HOTPATH_DEFAULT_SHARDS", "4",
          "HOTPATH_SHARD_WRITE_INTERVAL_MS", "0",
          "HOTPATH_FLUSH_INTERVAL_MS", "0",
          "HOTPATH_RETRY_BUDGET_MS", "60000");

  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(
          b -> b.faults(FAULTS).indexes(CompositeIndexes.ofProject(SETTINGS)));

  @RegisterExtension
  @Order(2)
  static final WriteApiExtension api = WriteApiExtension.on(datastore, SETTINGS);

  /**
   * At each total fault rate, split evenly between lost responses, UNAVAILABLE and
   * DEADLINE_EXCEEDED. Most flushes take the one-call versioned path (fewer lookups than commits
   * proves it); a flush whose outcome is unknown is retried as a transaction that finds its id.
   */
  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.05, 0.20})
  void acknowledgedIncrementsAreAppliedExactlyOnce(double rate) throws Exception {
    String counter = "faulty-" + Math.round(rate * 100);
    datastore
        .emulator()
        .setFaults(
            Faults.parse(
                String.format(
                    Locale.ROOT,
                    "unavailable=%f,deadline-exceeded=%f,lost-response=%f,seed=7",
                    rate / 3,
                    rate / 3,
                    rate / 3)));
    EmulatorStats before = datastore.emulator().stats();
    // Few callers make small batches, so many calls: about 8 faults expected at each rate.
    int threads = 4;
    int perThread = (int) Math.ceil(8 / rate * 3 / threads);
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    Concurrently.run(
        threads,
        thread -> {
          long delta = thread + 1;
          for (int i = 0; i < perThread; i++) {
            HttpJson.Reply reply =
                api.http()
                    .post("/v1/counters/" + counter + ":increment", "{\"delta\": " + delta + "}");
            if (reply.status() == 200) {
              acknowledged.addAndGet(delta);
            } else {
              assertEquals(503, reply.status(), reply.body().toString());
              refused.addAndGet(delta);
            }
          }
        });
    EmulatorStats after = datastore.emulator().stats();
    datastore.emulator().setFaults(FAULTS);
    assertTrue(
        after.injectedFaults() - before.injectedFaults() >= 3,
        "faults were injected: " + before + " -> " + after);
    assertTrue(
        after.lookups() - before.lookups() < after.commits() - before.commits(),
        "most flushes were one versioned commit: " + before + " -> " + after);
    datastore.emulator().setFaults(Faults.none());
    long stored = api.http().get("/v1/counters/" + counter).body().get("value").getAsLong();
    datastore.emulator().setFaults(FAULTS);
    assertEquals(0, refused.get(), "the generous budget absorbs every fault");
    assertEquals(acknowledged.get(), stored, "each acknowledged increment applied exactly once");
  }

  @Test
  void acknowledgedAppendsAreStoredExactlyOnce() throws Exception {
    int threads = 8;
    int perThread = 15;
    Set<String> ids = api.appendConcurrently("faulty", "Message", threads, perThread);
    datastore.emulator().setFaults(Faults.none());
    List<String> listed = new ArrayList<>();
    for (JsonObject entity :
        api.http().pageThrough("/v1/groups/faulty/entities/Message", "entities", 50)) {
      listed.add(entity.get("id").getAsString());
    }
    assertEquals(threads * perThread, ids.size());
    assertEquals(threads * perThread, listed.size(), "no entity stored twice or lost");
    assertEquals(ids, Set.copyOf(listed));
  }
}
