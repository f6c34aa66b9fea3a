package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.engine.Faults;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.local.bench.HttpJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
          "HOTPATH_RETRY_BUDGET_MS", "60000");

  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(
          b -> b.faults(FAULTS).indexes(CompositeIndexes.ofProject(SETTINGS)));

  @RegisterExtension
  @Order(2)
  static final WriteApiExtension api = WriteApiExtension.on(datastore, SETTINGS);

  @Test
  void acknowledgedIncrementsAreAppliedExactlyOnce() throws Exception {
    int threads = 16;
    int perThread = 30;
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    Concurrently.run(
        threads,
        thread -> {
          long delta = thread + 1;
          for (int i = 0; i < perThread; i++) {
            HttpJson.Reply reply =
                api.http().post("/v1/counters/faulty:increment", "{\"delta\": " + delta + "}");
            if (reply.status() == 200) {
              acknowledged.addAndGet(delta);
            } else {
              assertEquals(503, reply.status(), reply.body().toString());
              refused.addAndGet(delta);
            }
          }
        });
    assertTrue(datastore.emulator().stats().injectedFaults() >= 5, "faults were injected");
    datastore.emulator().setFaults(Faults.none());
    long stored = api.http().get("/v1/counters/faulty").body().get("value").getAsLong();
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
