package dev.hotpath.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The open and closed loops count every request once, by outcome, and send what they should. */
class LoadGeneratorsTest {

  /**
   * Arrivals of a seeded Poisson process due within {@code seconds}: what the open loop must offer.
   */
  private static long arrivalsWithin(double perSecond, long seed, double seconds) {
    PoissonArrivals gaps = new PoissonArrivals(perSecond, seed);
    long count = 0;
    for (long at = gaps.nextGapNanos(); at < seconds * 1e9; at += gaps.nextGapNanos()) {
      count++;
    }
    return count;
  }

  private static LoadOutcome byIndex(long i) {
    return switch ((int) (i % 4)) {
      case 0, 1 -> LoadOutcome.ACKNOWLEDGED;
      case 2 -> LoadOutcome.UNAVAILABLE;
      default -> LoadOutcome.FAILED;
    };
  }

  @Test
  void theOpenLoopOffersTheSeededArrivalsAndCountsEachOnce() throws Exception {
    Set<Long> sent = ConcurrentHashMap.newKeySet();
    // What the load reports about requests that got no answer is checked below, not printed
    // among the results of a passing build, where it would read like a failure.
    PrintStream console = System.err;
    ByteArrayOutputStream reported = new ByteArrayOutputStream();
    LoadResult r;
    System.setErr(new PrintStream(reported, true, StandardCharsets.UTF_8));
    try {
      r =
          OpenLoopLoad.run(
              400,
              Duration.ofSeconds(1),
              16,
              42,
              i -> {
                assertTrue(sent.add(i), "arrival " + i + " sent twice");
                if (i % 7 == 6) {
                  throw new IllegalStateException("no answer");
                }
                return byIndex(i);
              });
    } finally {
      System.setErr(console);
    }
    long noAnswer = sent.stream().filter(i -> i % 7 == 6).count();
    assertTrue(
        reported
            .toString(StandardCharsets.UTF_8)
            .contains(
                noAnswer + " requests got no answer: IllegalStateException (first: no answer)"),
        reported.toString(StandardCharsets.UTF_8));
    assertEquals(arrivalsWithin(400, 42, 1), r.offered(), "the seed fixes the arrivals");
    assertEquals(r.offered(), r.late() + sent.size(), "every arrival is either late or sent");
    assertEquals(
        sent.size(),
        r.acknowledged() + r.unavailable() + r.failed(),
        "every sent request has one outcome");
    long expectedAcknowledged =
        sent.stream().filter(i -> i % 7 != 6 && byIndex(i) == LoadOutcome.ACKNOWLEDGED).count();
    assertEquals(expectedAcknowledged, r.acknowledged());
    assertEquals(
        sent.stream().filter(i -> i % 7 != 6 && byIndex(i) == LoadOutcome.UNAVAILABLE).count(),
        r.unavailable());
    assertEquals(expectedAcknowledged, r.latency().count(), "one latency per acknowledged request");
    assertEquals(1.0, r.seconds(), 1e-9, "rates are over the arrival window");
  }

  @Test
  void theClosedLoopGivesEachClientItsIndexAndCountsOutcomes() throws Exception {
    Set<Integer> clients = ConcurrentHashMap.newKeySet();
    LoadResult r =
        ClosedLoopLoad.run(
            4,
            Duration.ofMillis(200),
            client -> {
              clients.add(client);
              return client == 3 ? LoadOutcome.UNAVAILABLE : LoadOutcome.ACKNOWLEDGED;
            });
    assertEquals(Set.of(0, 1, 2, 3), clients);
    assertTrue(r.acknowledged() > 0 && r.unavailable() > 0, r.toString());
    assertEquals(0, r.failed());
    assertEquals(
        r.acknowledged() + r.unavailable(), r.offered(), "a closed loop offers what it sends");
    assertEquals(r.acknowledged(), r.latency().count());
  }

  @Test
  void httpStatusesMapToOutcomes() {
    assertEquals(LoadOutcome.ACKNOWLEDGED, LoadOutcome.of(201, 201));
    assertEquals(LoadOutcome.FAILED, LoadOutcome.of(200, 201));
    assertEquals(LoadOutcome.UNAVAILABLE, LoadOutcome.of(503, 200));
    assertEquals(LoadOutcome.FAILED, LoadOutcome.of(500, 200));
  }
}
