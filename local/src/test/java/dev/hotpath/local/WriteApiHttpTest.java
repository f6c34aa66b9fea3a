package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.local.bench.HttpJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Write API over HTTP, served by the Functions Framework invoker, against the emulator. */
class WriteApiHttpTest {
  /** What the Write API runs with; the emulator enforces the indexes these settings need. */
  private static final Map<String, String> SETTINGS =
      Map.of(
          "HOTPATH_ALLOWED_KINDS", "Message,Friend",
          "HOTPATH_DEFAULT_SHARDS", "4",
          "HOTPATH_SHARD_WRITE_INTERVAL_MS", "0");

  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(
          b -> b.indexes(CompositeIndexes.ofProject(SETTINGS)));

  @RegisterExtension
  @Order(2)
  static final WriteApiExtension api = WriteApiExtension.on(datastore, SETTINGS);

  @Test
  void anUnknownCounterReadsZero() throws Exception {
    HttpJson.Reply reply = api.http().get("/v1/counters/never-written");
    assertEquals(200, reply.status());
    assertEquals(0, reply.body().get("value").getAsLong());
    assertEquals("never-written", reply.body().get("name").getAsString());
  }

  @Test
  void concurrentIncrementsFromManyThreadsSumExactly() throws Exception {
    int threads = 32;
    int perThread = 40;
    AtomicLong acknowledged = new AtomicLong();
    Concurrently.run(
        threads,
        thread -> {
          long delta = thread % 5 + 1;
          for (int i = 0; i < perThread; i++) {
            HttpJson.Reply reply =
                api.http().post("/v1/counters/likes:increment", "{\"delta\": " + delta + "}");
            assertEquals(200, reply.status(), reply.body().toString());
            assertEquals(delta, reply.body().get("delta").getAsLong());
            acknowledged.addAndGet(delta);
          }
        });
    HttpJson.Reply read = api.http().get("/v1/counters/likes");
    assertEquals(acknowledged.get(), read.body().get("value").getAsLong());
    assertTrue(read.body().get("shards").getAsInt() >= 4);
    datastore
        .ours()
        .ifPresent(
            ours -> {
              long writes = ours.stats().entityWrites(); // only ours counts writes
              assertTrue(
                  writes < threads * perThread,
                  "group commit merged increments: " + writes + " writes");
            });
  }

  @Test
  void defaultDeltaIsOneAndNegativeDeltasSubtract() throws Exception {
    assertEquals(200, api.http().post("/v1/counters/mixed:increment", "{}").status());
    assertEquals(200, api.http().post("/v1/counters/mixed:increment", "{\"delta\": -3}").status());
    assertEquals(-2, api.http().get("/v1/counters/mixed").body().get("value").getAsLong());
  }

  @Test
  void groupEntitiesRoundTripAndNeverOverwrite() throws Exception {
    String properties =
        "{\"text\":\"hï ✓ 🙂\",\"n\":3,\"x\":1.5,\"ok\":true,\"none\":null,\"tags\":[\"a\",\"b\"],"
            + "\"meta\":{\"lang\":\"en\"},\"at\":{\"$timestamp\":\"2026-01-02T03:04:05.123456Z\"},"
            + "\"raw\":{\"$blob\":\"AAEC\"},\"who\":{\"$key\":{\"path\":[{\"kind\":\"User\",\"name\":\"ann\"}]}}}";
    HttpJson.Reply created =
        api.http()
            .post("/v1/groups/user-1/entities/Message", "{\"properties\":" + properties + "}");
    assertEquals(201, created.status(), created.body().toString());
    JsonObject expected = JsonParser.parseString(properties).getAsJsonObject();
    assertEquals(expected, created.body().get("properties"));
    JsonElement path = created.body().getAsJsonObject("key").get("path");
    assertEquals(2, path.getAsJsonArray().size(), "stored under a shard parent");
    assertEquals(
        "HotpathGroupShard",
        path.getAsJsonArray().get(0).getAsJsonObject().get("kind").getAsString());

    HttpJson.Reply again =
        api.http()
            .post("/v1/groups/user-1/entities/Message", "{\"properties\":" + properties + "}");
    assertTrue(
        !again.body().get("id").equals(created.body().get("id")),
        "a second append is a new entity");

    KnownDifferences.assumeInQueries(datastore);
    HttpJson.Reply listed = api.http().get("/v1/groups/user-1/entities/Message");
    assertEquals(2, listed.body().getAsJsonArray("entities").size());
    assertEquals(
        expected,
        listed.body().getAsJsonArray("entities").get(0).getAsJsonObject().get("properties"));
    assertTrue(!listed.body().has("nextPageToken"));
  }

  @Test
  void groupListingsPageThroughEveryEntityNewestFirstWithoutLossOrDuplicates() throws Exception {
    KnownDifferences.assumeInQueries(datastore);
    int threads = 8;
    int perThread = 20;
    Set<String> createdIds = api.appendConcurrently("hot", "Friend", threads, perThread);
    // Another kind in the same group must not show up in the listing.
    assertEquals(
        201, api.http().post("/v1/groups/hot/entities/Message", "{\"properties\":{}}").status());

    List<String> listed = new ArrayList<>();
    Timestamp previous = Timestamp.MAX_VALUE;
    for (JsonObject entity :
        api.http().pageThrough("/v1/groups/hot/entities/Friend", "entities", 7)) {
      Timestamp created = Timestamp.parseTimestamp(entity.get("createTime").getAsString());
      assertTrue(created.compareTo(previous) <= 0, "newest first");
      previous = created;
      listed.add(entity.get("id").getAsString());
    }
    assertEquals(threads * perThread, listed.size());
    assertEquals(createdIds, new HashSet<>(listed), "no loss");
    assertEquals(listed.size(), new HashSet<>(listed).size(), "no duplicates");
  }
}
