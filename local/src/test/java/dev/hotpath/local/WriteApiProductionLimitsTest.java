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

  /**
   * A group that gets hot before this instance has seen it: one request reads its record and writes
   * the first entity while the others wait, then they go to the committer together. Before, each of
   * them read the record and raced its own first-append transaction on it — one commit per append,
   * aborted over and over under the limit on that record.
   */
  @Test
  void aNewGroupsConcurrentFirstAppendsWriteItFirstOnceAndBatchTheRest() throws Exception {
    Map<String, String> env =
        WriteApiExtension.env(datastore, Map.of("HOTPATH_ALLOWED_KINDS", "Message"));
    try (FunctionServer server = FunctionServer.start(WriteApi.class, 0, env)) {
      HttpJson http = new HttpJson(server.url());
      int clients = 48;
      long commitsBefore = datastore.emulator().stats().commits();
      long abortedBefore = datastore.emulator().stats().aborted();
      Concurrently.run(
          clients,
          thread -> {
            HttpJson.Reply reply =
                http.post("/v1/groups/new-room/entities/Message", "{\"properties\":{}}");
            assertEquals(201, reply.status(), reply.body().toString());
          });
      long commits = datastore.emulator().stats().commits() - commitsBefore;
      long aborted = datastore.emulator().stats().aborted() - abortedBefore;
      assertTrue(
          commits <= clients / 4,
          commits + " commits (" + aborted + " aborted) for " + clients + " first appends");
      assertEquals(0, aborted, "aborted commits");
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
