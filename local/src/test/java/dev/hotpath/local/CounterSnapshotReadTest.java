package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.local.bench.HttpJson;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A counter over more than 1,000 shards is read with several lookups; they must all read one
 * snapshot. One writer alternates +1 and -1, each sent after the previous was acknowledged, so the
 * counter only ever holds 0 or 1; readers polling meanwhile must never see anything else.
 */
class CounterSnapshotReadTest {
  private static final int SHARDS = 2048;

  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  @RegisterExtension
  @Order(2)
  static final WriteApiExtension api =
      WriteApiExtension.on(
          datastore,
          Map.of(
              "HOTPATH_DEFAULT_SHARDS",
              Integer.toString(SHARDS),
              "HOTPATH_MAX_SHARDS",
              Integer.toString(SHARDS),
              "HOTPATH_SHARD_WRITE_INTERVAL_MS",
              "0",
              "HOTPATH_FLUSH_INTERVAL_MS",
              "0"));

  @Test
  void readsOverManyLookupsReturnOnlyValuesTheCounterHad() throws Exception {
    HttpJson http = api.http();
    assertEquals(200, http.post("/v1/counters/flip:increment", "{\"delta\": 0}").status());
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger flips = new AtomicInteger();
    AtomicInteger reads = new AtomicInteger();
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    Concurrently.run(
        4,
        thread -> {
          if (thread == 0) {
            for (int i = 0; System.nanoTime() < until; i++) {
              HttpJson.Reply reply =
                  http.post(
                      "/v1/counters/flip:increment",
                      i % 2 == 0 ? "{\"delta\": 1}" : "{\"delta\": -1}");
              assertEquals(200, reply.status(), reply.body().toString());
              flips.incrementAndGet();
            }
            writing.set(false);
          } else {
            while (writing.get()) {
              HttpJson.Reply reply = http.get("/v1/counters/flip");
              assertEquals(200, reply.status(), reply.body().toString());
              assertEquals(SHARDS, reply.body().get("shards").getAsInt());
              seen.add(reply.body().get("value").getAsLong());
              reads.incrementAndGet();
            }
          }
        });
    assertTrue(
        Set.of(0L, 1L).containsAll(seen), "values read: " + seen + " over " + reads + " reads");
    assertTrue(flips.get() > 20 && reads.get() > 20, flips + " flips, " + reads + " reads");
  }
}
