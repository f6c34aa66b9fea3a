package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.functions.WriteApi;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Write API over HTTP, served by the Functions Framework invoker, against the emulator. */
class WriteApiHttpTest {
  @RegisterExtension static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  private static FunctionServer server;
  private static HttpJson http;

  @BeforeAll
  static void start() throws Exception {
    server =
        FunctionServer.start(
            WriteApi.class,
            0,
            Map.of(
                "DATASTORE_EMULATOR_HOST", datastore.emulator().host(),
                "GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT,
                "HOTPATH_ALLOWED_KINDS", "Message,Friend",
                "HOTPATH_DEFAULT_SHARDS", "4",
                "HOTPATH_SHARD_WRITE_INTERVAL_MS", "0"));
    http = new HttpJson(server.url());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void anUnknownCounterReadsZero() throws Exception {
    HttpJson.Reply reply = http.get("/v1/counters/never-written");
    assertEquals(200, reply.status());
    assertEquals(0, reply.body().get("value").getAsLong());
    assertEquals("never-written", reply.body().get("name").getAsString());
  }

  @Test
  void concurrentIncrementsFromManyThreadsSumExactly() throws Exception {
    int threads = 32;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong acknowledged = new AtomicLong();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long delta = t % 5 + 1;
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  HttpJson.Reply reply = http.post("/v1/counters/likes:increment", "{\"delta\": " + delta + "}");
                  assertEquals(200, reply.status(), reply.body().toString());
                  assertEquals(delta, reply.body().get("delta").getAsLong());
                  acknowledged.addAndGet(delta);
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    HttpJson.Reply read = http.get("/v1/counters/likes");
    assertEquals(acknowledged.get(), read.body().get("value").getAsLong());
    assertTrue(read.body().get("shards").getAsInt() >= 4);
    long writes = datastore.emulator().stats().entityWrites();
    assertTrue(writes < threads * perThread, "group commit merged increments: " + writes + " writes");
  }

  @Test
  void defaultDeltaIsOneAndNegativeDeltasSubtract() throws Exception {
    assertEquals(200, http.post("/v1/counters/mixed:increment", "{}").status());
    assertEquals(200, http.post("/v1/counters/mixed:increment", "{\"delta\": -3}").status());
    assertEquals(-2, http.get("/v1/counters/mixed").body().get("value").getAsLong());
  }

  @Test
  void groupEntitiesRoundTripAndNeverOverwrite() throws Exception {
    String properties =
        "{\"text\":\"hi\",\"n\":3,\"x\":1.5,\"ok\":true,\"none\":null,\"tags\":[\"a\",\"b\"],"
            + "\"meta\":{\"lang\":\"en\"},\"at\":{\"$timestamp\":\"2026-01-02T03:04:05.123456Z\"},"
            + "\"raw\":{\"$blob\":\"AAEC\"},\"who\":{\"$key\":{\"path\":[{\"kind\":\"User\",\"name\":\"ann\"}]}}}";
    HttpJson.Reply created = http.post("/v1/groups/user-1/entities/Message", "{\"properties\":" + properties + "}");
    assertEquals(201, created.status(), created.body().toString());
    JsonObject expected = com.google.gson.JsonParser.parseString(properties).getAsJsonObject();
    assertEquals(expected, created.body().get("properties"));
    JsonElement path = created.body().getAsJsonObject("key").get("path");
    assertEquals(2, path.getAsJsonArray().size(), "stored under a shard parent");
    assertEquals("HotpathGroupShard", path.getAsJsonArray().get(0).getAsJsonObject().get("kind").getAsString());

    HttpJson.Reply again = http.post("/v1/groups/user-1/entities/Message", "{\"properties\":" + properties + "}");
    assertTrue(!again.body().get("id").equals(created.body().get("id")), "a second append is a new entity");

    HttpJson.Reply listed = http.get("/v1/groups/user-1/entities/Message");
    assertEquals(2, listed.body().getAsJsonArray("entities").size());
    assertEquals(expected, listed.body().getAsJsonArray("entities").get(0).getAsJsonObject().get("properties"));
    assertTrue(!listed.body().has("nextPageToken"));
  }

  @Test
  void groupListingsPageThroughEveryEntityNewestFirstWithoutLossOrDuplicates() throws Exception {
    int threads = 8;
    int perThread = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Set<String> createdIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  HttpJson.Reply reply =
                      http.post("/v1/groups/hot/entities/Friend", "{\"properties\":{\"t\":" + thread + ",\"i\":" + i + "}}");
                  assertEquals(201, reply.status(), reply.body().toString());
                  createdIds.add(reply.body().get("id").getAsString());
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    // Another kind in the same group must not show up in the listing.
    assertEquals(201, http.post("/v1/groups/hot/entities/Message", "{\"properties\":{}}").status());

    List<String> listed = new ArrayList<>();
    String previousTime = null;
    String token = null;
    int pages = 0;
    do {
      HttpJson.Reply page =
          http.get("/v1/groups/hot/entities/Friend?pageSize=7" + (token == null ? "" : "&pageToken=" + token));
      assertEquals(200, page.status(), page.body().toString());
      for (JsonElement e : page.body().getAsJsonArray("entities")) {
        String time = e.getAsJsonObject().get("createTime").getAsString();
        if (previousTime != null) {
          assertTrue(
              com.google.cloud.Timestamp.parseTimestamp(time).compareTo(com.google.cloud.Timestamp.parseTimestamp(previousTime)) <= 0,
              "newest first");
        }
        previousTime = time;
        listed.add(e.getAsJsonObject().get("id").getAsString());
      }
      token = page.body().has("nextPageToken") ? page.body().get("nextPageToken").getAsString() : null;
      pages++;
    } while (token != null);
    assertEquals(threads * perThread, listed.size());
    assertEquals(createdIds, new HashSet<>(listed), "no loss");
    assertEquals(listed.size(), new HashSet<>(listed).size(), "no duplicates");
    assertTrue(pages >= (threads * perThread) / 7);
    assertNotNull(previousTime);
  }
}
