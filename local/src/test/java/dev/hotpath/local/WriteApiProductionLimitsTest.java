package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.FunctionServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Under production write limits (~1 write/s per entity, ABORTED beyond) two function instances
 * increment one counter: cross-instance contention is retried on other shards, the shard count
 * grows, and the sum is exact.
 */
class WriteApiProductionLimitsTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(
          b ->
              b.writeLimits(WriteLimits.production())
                  .indexes(CompositeIndexes.ofProject(Map.of())));

  @Test
  void twoInstancesShareAHotCounterWithoutLosingOrDoublingIncrements() throws Exception {
    Map<String, String> env =
        WriteApiExtension.env(
            datastore, Map.of("HOTPATH_DEFAULT_SHARDS", "2", "HOTPATH_RETRY_BUDGET_MS", "60000"));
    try (FunctionServer one = FunctionServer.start(WriteApi.class, 0, env);
        FunctionServer two = FunctionServer.start(WriteApi.class, 0, env)) {
      List<HttpJson> instances = List.of(new HttpJson(one.url()), new HttpJson(two.url()));
      int clients = 24;
      int perClient = 15;
      AtomicLong acknowledged = new AtomicLong();
      Concurrently.run(
          clients,
          thread -> {
            HttpJson http = instances.get(thread % 2);
            for (int i = 0; i < perClient; i++) {
              HttpJson.Reply reply = http.post("/v1/counters/hot:increment", "{\"delta\": 2}");
              assertEquals(200, reply.status(), reply.body().toString());
              acknowledged.addAndGet(2);
            }
          });
      HttpJson.Reply read = instances.get(0).get("/v1/counters/hot");
      assertEquals(acknowledged.get(), read.body().get("value").getAsLong());
      assertEquals(2L * clients * perClient, acknowledged.get());
      assertTrue(
          read.body().get("shards").getAsInt() > 2, "contention grew the shards: " + read.body());
      long writes = datastore.emulator().stats().entityWrites();
      assertTrue(
          writes < clients * perClient / 2,
          "batched: " + writes + " writes for " + clients * perClient);
    }
  }

  @Test
  void whenTheBudgetIsSpentTheAnswerIs503WithRetryAfterAndNothingIsDoubled() throws Exception {
    Map<String, String> env =
        WriteApiExtension.env(
            datastore,
            Map.of(
                "HOTPATH_DEFAULT_SHARDS", "1",
                "HOTPATH_MAX_SHARDS", "1",
                "HOTPATH_MAX_BATCH", "1",
                "HOTPATH_RETRY_BUDGET_MS", "1500"));
    try (FunctionServer server = FunctionServer.start(WriteApi.class, 0, env)) {
      HttpJson http = new HttpJson(server.url());
      AtomicLong acknowledged = new AtomicLong();
      AtomicLong refused = new AtomicLong();
      Concurrently.run(
          8,
          thread -> {
            HttpJson.Reply reply = http.post("/v1/counters/single:increment", "{}");
            if (reply.status() == 200) {
              acknowledged.incrementAndGet();
              return;
            }
            assertEquals(503, reply.status(), reply.body().toString());
            assertEquals(
                "UNAVAILABLE", reply.body().getAsJsonObject("error").get("status").getAsString());
            assertEquals("1", reply.header("Retry-After"));
            refused.incrementAndGet();
          });
      assertTrue(refused.get() > 0, "one unsharded entity cannot take 8 writes in 1.5 s");
      long stored = http.get("/v1/counters/single").body().get("value").getAsLong();
      assertTrue(
          stored >= acknowledged.get() && stored <= acknowledged.get() + refused.get(),
          "stored " + stored);
    }
  }
}
