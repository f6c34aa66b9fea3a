package dev.hotpath.shared.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.testsupport.CapturedLog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The summary records: when they are written, what they hold, and that their names stay bounded.
 */
class MetricsEmitterTest {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private final Metrics metrics = new Metrics(Clock.systemUTC());
  private CapturedLog log;

  @BeforeEach
  void capture() {
    log = CapturedLog.on(MetricsEmitter.LOGGER);
  }

  @AfterEach
  void release() {
    log.close();
  }

  @Test
  void writesOncePerIntervalFromWhicheverRequestComesFirst() throws Exception {
    MetricsEmitter emitter = new MetricsEmitter(metrics, Duration.ofSeconds(60), nanos::get);
    emitter.maybeEmit();
    assertEquals(List.of(), log.records(), "nothing before the interval has elapsed");

    nanos.addAndGet(Duration.ofSeconds(60).toNanos());
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> requests = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                emitter.maybeEmit();
              });
      t.start();
      requests.add(t);
    }
    start.countDown();
    for (Thread t : requests) {
      t.join();
    }
    assertEquals(1, summaries().size(), "one of the racing requests writes the summary");

    nanos.addAndGet(Duration.ofSeconds(59).toNanos());
    emitter.maybeEmit();
    assertEquals(1, summaries().size(), "the next one is due a whole interval later");
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    emitter.maybeEmit();
    assertEquals(2, summaries().size());
  }

  @Test
  void reportsTheIntervalsDeltasAndTheHottestNamesWithTheRestAsOther() {
    MetricsEmitter emitter = new MetricsEmitter(metrics, Duration.ofSeconds(60), nanos::get);
    for (int i = 1; i <= 8; i++) {
      NameStats stats = metrics.name(Family.COUNTER, "c" + i);
      stats.shards(16);
      for (int commit = 0; commit < i; commit++) {
        stats.committed(10, metrics.nowMillis()); // c8 is the hottest: 80 increments
      }
    }
    metrics.count(Event.DATASTORE_CALLS, 36);
    metrics.unavailable(Unavailable.RETRY_BUDGET_EXHAUSTED);
    metrics.flushed(Duration.ofMillis(30).toNanos());
    metrics.count(Event.OPERATIONS_FAILED);
    metrics.target("turn-a", "UP", 12);
    emitter.flush();

    Map<String, Object> summary = summaries().get(0);
    assertEquals(36L, summary.get(SummaryFields.DATASTORE_CALLS));
    assertEquals(1L, summary.get(SummaryFields.FLUSHES));
    assertEquals(50L, summary.get(SummaryFields.FLUSH_P99_MS), "the bucket holding 30 ms");
    assertEquals(1L, summary.get(SummaryFields.OPERATIONS_FAILED));

    List<Map<String, Object>> names = of(SummaryFields.NAME);
    assertEquals(
        List.of("c8", "c7", "c6", "c5", "c4", NameTable.OTHER),
        names.stream().map(r -> r.get(SummaryFields.NAME_FIELD)).toList());
    assertEquals(80L, names.get(0).get(SummaryFields.ACKNOWLEDGED));
    assertEquals(8L, names.get(0).get(SummaryFields.COMMITS));
    assertEquals(16, names.get(0).get(SummaryFields.SHARDS));
    assertEquals(60L, names.get(5).get(SummaryFields.ACKNOWLEDGED), "c1 + c2 + c3");
    assertEquals(
        List.of(
            Map.of(
                SummaryFields.RECORD,
                "unavailable",
                "cause",
                "retry_budget_exhausted",
                "count",
                1L)),
        of(SummaryFields.UNAVAILABLE));
    assertEquals("UP", of(SummaryFields.TARGET).get(0).get(SummaryFields.STATUS));

    log.clear();
    metrics.name(Family.COUNTER, "c1").committed(3, metrics.nowMillis());
    emitter.flush();
    List<Map<String, Object>> next = of(SummaryFields.NAME);
    assertEquals(1, next.size(), "only what changed since the previous summary");
    assertEquals(3L, next.get(0).get(SummaryFields.ACKNOWLEDGED));
    assertEquals(0L, summaries().get(0).get(SummaryFields.DATASTORE_CALLS));
    assertEquals(List.of(), of(SummaryFields.TARGET), "no round since the previous summary");
  }

  @Test
  void everyFieldIsDeclaredAndTheMessageCarriesTheSameJson() {
    MetricsEmitter emitter = new MetricsEmitter(metrics, Duration.ofSeconds(60), nanos::get);
    metrics.name(Family.GROUP, "room").committed(2, metrics.nowMillis());
    metrics.unavailable(Unavailable.SHUTTING_DOWN);
    metrics.target("turn-a", "DOWN", -1);
    metrics.oldestPending(125_000);
    metrics.flushed(1);
    emitter.flush();
    for (LogRecord r : log.records()) {
      assertEquals(Level.INFO, r.getLevel());
      assertTrue(r.getMessage().startsWith(MetricsEmitter.MESSAGE_PREFIX), r.getMessage());
      Map<?, ?> fields = (Map<?, ?>) r.getParameters()[0];
      for (Object field : fields.keySet()) {
        assertTrue(SummaryFields.ALL.contains(field), field + " is not in SummaryFields.ALL");
        assertTrue(r.getMessage().contains("\"" + field + "\":"), r.getMessage());
      }
    }
    assertEquals(125L, summaries().get(0).get(SummaryFields.OLDEST_PENDING_S));
  }

  @Test
  void offRecordsNothing() {
    metrics.enabled(false);
    metrics.name(Family.COUNTER, "c").committed(1, metrics.nowMillis());
    metrics.count(Event.DATASTORE_CALLS);
    MetricsSnapshot snapshot = metrics.snapshot(10);
    assertEquals(List.of(), snapshot.counters());
    assertEquals(0, snapshot.write().datastoreCalls());
  }

  private List<Map<String, Object>> summaries() {
    return of(SummaryFields.SUMMARY);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> of(String kind) {
    return log.records().stream()
        .map(r -> (Map<String, Object>) r.getParameters()[0])
        .filter(f -> kind.equals(f.get(SummaryFields.RECORD)))
        .toList();
  }
}
