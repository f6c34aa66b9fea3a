package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.Faults;
import dev.hotpath.functions.WriteApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With lost responses (commit applied, answer DEADLINE_EXCEEDED), UNAVAILABLE and
 * DEADLINE_EXCEEDED injected into a fair share of all Datastore calls, every acknowledged write
 * is applied exactly once.
 */
class WriteApiFaultsTest {
  private static final Faults FAULTS = Faults.parse("unavailable=0.05,deadline-exceeded=0.03,lost-response=0.15,seed=7");

  @RegisterExtension
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create(b -> b.faults(FAULTS));

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
                "HOTPATH_ALLOWED_KINDS", "Message",
                "HOTPATH_DEFAULT_SHARDS", "4",
                "HOTPATH_SHARD_WRITE_INTERVAL_MS", "0",
                "HOTPATH_RETRY_BUDGET_MS", "60000"));
    http = new HttpJson(server.url());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void acknowledgedIncrementsAreAppliedExactlyOnce() throws Exception {
    int threads = 16;
    int perThread = 30;
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long delta = t + 1;
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  HttpJson.Reply reply = http.post("/v1/counters/faulty:increment", "{\"delta\": " + delta + "}");
                  if (reply.status() == 200) {
                    acknowledged.addAndGet(delta);
                  } else {
                    assertEquals(503, reply.status(), reply.body().toString());
                    refused.addAndGet(delta);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertTrue(datastore.emulator().stats().injectedFaults() > 10, "faults were injected");
    datastore.emulator().setFaults(Faults.none());
    long stored = http.get("/v1/counters/faulty").body().get("value").getAsLong();
    assertEquals(0, refused.get(), "the generous budget absorbs every fault");
    assertEquals(acknowledged.get(), stored, "each acknowledged increment applied exactly once");
  }

  @Test
  void acknowledgedAppendsAreStoredExactlyOnce() throws Exception {
    int threads = 8;
    int perThread = 15;
    Set<String> ids = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  HttpJson.Reply reply = http.post("/v1/groups/faulty/entities/Message", "{\"properties\":{\"i\":" + i + "}}");
                  assertEquals(201, reply.status(), reply.body().toString());
                  ids.add(reply.body().get("id").getAsString());
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    datastore.emulator().setFaults(Faults.none());
    List<String> listed = new ArrayList<>();
    String token = null;
    do {
      HttpJson.Reply page =
          http.get("/v1/groups/faulty/entities/Message?pageSize=50" + (token == null ? "" : "&pageToken=" + token));
      page.body().getAsJsonArray("entities").forEach(e -> listed.add(e.getAsJsonObject().get("id").getAsString()));
      token = page.body().has("nextPageToken") ? page.body().get("nextPageToken").getAsString() : null;
    } while (token != null);
    assertEquals(threads * perThread, ids.size());
    assertEquals(threads * perThread, listed.size(), "no entity stored twice or lost");
    assertEquals(ids, Set.copyOf(listed));
  }
}
