package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.engine.EmulatorStats;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.MetricsEmitter;
import dev.hotpath.shared.metrics.SummaryFields;
import dev.hotpath.testsupport.CapturedLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Write API's own metrics under a known load, through the real invoker against the emulator:
 * the summary records count exactly the increments and appends acknowledged, and the commits,
 * Datastore calls and contention aborts the emulator saw.
 */
class WriteApiMetricsTest {
  /**
   * A fixed shard count (no growth) and read-write transactions (no once-only check of versioned
   * writes), so every commit the emulator sees after the warm-up is a flush.
   */
  private static final Map<String, String> SETTINGS =
      Map.of(
          "HOTPATH_ALLOWED_KINDS", "Message",
          "HOTPATH_DEFAULT_SHARDS", "4",
          "HOTPATH_MAX_SHARDS", "4",
          "HOTPATH_SHARD_WRITE_INTERVAL_MS", "0",
          "HOTPATH_VERSIONED_WRITES", "off",
          "HOTPATH_METRICS_INTERVAL_S", "3600");

  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(
          b -> b.indexes(CompositeIndexes.ofProject(SETTINGS)));

  @RegisterExtension
  @Order(2)
  static final WriteApiExtension api = WriteApiExtension.on(datastore, SETTINGS);

  @Test
  void theSummaryCountsWhatTheLoadDid() throws Exception {
    String counter = "metered-" + UUID.randomUUID();
    String group = "metered-" + UUID.randomUUID();
    HttpJson http = api.http();
    // Warm up: the first write of each creates its shard-count record (a commit of its own).
    assertEquals(200, http.post("/v1/counters/" + counter + ":increment", "{}").status());
    assertEquals(
        201,
        http.post("/v1/groups/" + group + "/entities/Message", "{\"properties\":{\"i\":0}}")
            .status());

    // The interval starts now: an emitter of the process's registry on a clock of the test's.
    AtomicLong nanos = new AtomicLong();
    MetricsEmitter emitter =
        new MetricsEmitter(Metrics.global(), Duration.ofSeconds(60), nanos::get);
    Optional<EmulatorStats> before = datastore.ours().map(e -> e.stats());

    int threads = 16;
    int increments = 25;
    int appends = 5;
    Concurrently.run(
        threads,
        thread -> {
          for (int i = 0; i < increments; i++) {
            HttpJson.Reply r =
                http.post("/v1/counters/" + counter + ":increment", "{\"delta\": 3}");
            assertEquals(200, r.status(), r.body().toString());
          }
          for (int i = 0; i < appends; i++) {
            HttpJson.Reply r =
                http.post(
                    "/v1/groups/" + group + "/entities/Message", "{\"properties\":{\"i\":1}}");
            assertEquals(201, r.status(), r.body().toString());
          }
        });
    Optional<EmulatorStats> after = datastore.ours().map(e -> e.stats());

    List<Map<String, Object>> records;
    try (CapturedLog log = CapturedLog.on(MetricsEmitter.LOGGER)) {
      nanos.addAndGet(Duration.ofSeconds(60).toNanos());
      emitter.maybeEmit();
      records = log.records().stream().map(WriteApiMetricsTest::fields).toList();
    }

    Map<String, Object> counted = named(records, "counter", counter);
    Map<String, Object> appended = named(records, "group", group);
    assertEquals((long) threads * increments, counted.get(SummaryFields.ACKNOWLEDGED));
    assertEquals((long) threads * appends, appended.get(SummaryFields.ACKNOWLEDGED));
    assertEquals(4, counted.get(SummaryFields.SHARDS));
    long commits =
        (long) counted.get(SummaryFields.COMMITS) + (long) appended.get(SummaryFields.COMMITS);
    assertTrue(
        commits < threads * (increments + appends),
        "group commit merged items: " + commits + " commits");

    Map<String, Object> summary =
        records.stream()
            .filter(r -> SummaryFields.SUMMARY.equals(r.get(SummaryFields.RECORD)))
            .findFirst()
            .orElseThrow();
    assertEquals(commits, summary.get(SummaryFields.FLUSHES), "one flush per commit");
    if (before.isPresent()) {
      EmulatorStats b = before.get();
      EmulatorStats a = after.orElseThrow();
      // A versioned commit whose base version is stale reaches the emulator as a commit with a
      // conflict: applied nothing, and the writer counts it as contention.
      long conflicts = a.conflicts() - b.conflicts();
      String seen = "emulator before " + b + ", after " + a + "; summary " + summary;
      assertEquals(a.commits() - b.commits(), commits + conflicts, seen);
      assertEquals(
          a.aborted() - b.aborted() + conflicts,
          summary.get(SummaryFields.CONTENTION_ABORTS),
          seen);
      // The writers count the calls they make themselves; the high-level client under the group
      // writer makes a few the count misses (3 of 142 in one run), so this is a bound, not
      // equality.
      long calls = (long) summary.get(SummaryFields.DATASTORE_CALLS);
      assertTrue(calls <= a.calls() - b.calls() && calls >= 2 * commits, seen);
    }
  }

  private static Map<String, Object> named(
      List<Map<String, Object>> records, String family, String name) {
    return records.stream()
        .filter(r -> SummaryFields.NAME.equals(r.get(SummaryFields.RECORD)))
        .filter(r -> family.equals(r.get(SummaryFields.FAMILY)))
        .filter(r -> name.equals(r.get(SummaryFields.NAME_FIELD)))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + family + " record of " + name + ": " + records));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fields(LogRecord record) {
    return (Map<String, Object>) record.getParameters()[0];
  }
}
