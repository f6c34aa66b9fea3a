package dev.hotpath.shared.turn.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.MetricsSnapshot;
import dev.hotpath.shared.metrics.TargetFigures;
import dev.hotpath.shared.turn.config.TurnConfig;
import dev.hotpath.testsupport.turn.FreePort;
import dev.hotpath.testsupport.turn.ThrowawayKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several rounds per tick through the engine and the Datastore emulator: the first delivery of a
 * tick runs them at their offsets in the minute, a repeated delivery runs none. The target is a
 * closed loopback port (a tcp probe refused at once) and never restarted, so no coturn is needed;
 * the clock moves only when the engine sleeps between rounds.
 */
class TickDeliveryTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  private static final Instant TICK = Instant.parse("2026-12-01T10:00:00Z");
  private static final String JOB = "projects/p/locations/r/jobs/turn-watchdog";

  private static WatchdogEngine engine(ManualTime time) throws Exception {
    int closed = FreePort.tcpAndUdp();
    Map<String, String> env =
        Map.ofEntries(
            Map.entry(
                "TURN_TARGETS",
                "[{\"name\":\"turn-1\",\"host\":\"127.0.0.1\",\"port\":"
                    + closed
                    + ",\"probes\":[\"tcp\"],\"ssh\":{\"port\":"
                    + closed
                    + ",\"user\":\"ops\",\"hostKeyFingerprint\":\"SHA256:"
                    + "A".repeat(43)
                    + "\"}}]"),
            Map.entry("TURN_SSH_PRIVATE_KEY", ThrowawayKey.rsaPem()),
            // Never restarted: the rounds only count the target down.
            Map.entry("TURN_DOWN_THRESHOLD", "1000"),
            Map.entry("TURN_PROBE_ATTEMPTS", "1"),
            Map.entry("TURN_PROBE_TIMEOUT_MS", "500"),
            Map.entry("TURN_ROUNDS_PER_MINUTE", "3"),
            Map.entry("DATASTORE_EMULATOR_HOST", datastore.emulator().host()),
            Map.entry("GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT));
    return WatchdogEngine.create(TurnConfig.fromEnv(env), time, time);
  }

  @Test
  void aTicksRoundsRunAtTheirOffsetsAndARepeatedDeliveryRunsNone() throws Exception {
    ManualTime time = new ManualTime(TICK.plusMillis(500));
    WatchdogEngine engine = engine(time);
    long roundsBefore = Metrics.global().snapshot(0).watchdogRounds();

    TickRun first = engine.runTick(JOB, TICK, rounds -> "report of " + rounds.size());
    MetricsSnapshot metrics = Metrics.global().snapshot(0);
    assertEquals(3, metrics.watchdogRounds() - roundsBefore, "the rounds metric counts each");
    TargetFigures target =
        metrics.targets().stream()
            .filter(t -> t.target().equals("turn-1"))
            .findFirst()
            .orElseThrow();
    assertEquals("DOWN", target.status());
    assertEquals(-1, target.probeMillis(), "no probe answered");
    assertEquals(TickClaim.Kind.RUN, first.claim().kind());
    assertEquals(
        List.of(Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofSeconds(40)),
        first.rounds().stream().map(r -> Duration.between(TICK, r.startedAt())).toList());
    assertEquals(3, first.rounds().stream().map(RoundReport::roundId).distinct().count());
    assertEquals("report of 3", first.report().orElseThrow());
    assertEquals(3, consecutiveDown(engine), "each round observed the target once");

    TickRun again = engine.runTick(JOB, TICK, rounds -> "never rendered");
    assertEquals(TickClaim.Kind.ANSWERED, again.claim().kind());
    assertTrue(again.rounds().isEmpty(), "a repeated delivery probes nothing");
    assertEquals(3, Metrics.global().snapshot(0).watchdogRounds() - roundsBefore);
    assertEquals("report of 3", again.report().orElseThrow());
    assertEquals(3, consecutiveDown(engine), "and observes nothing");

    TickRun next =
        engine.runTick(JOB, TICK.plus(Duration.ofMinutes(1)), rounds -> "next " + rounds.size());
    assertEquals(
        TICK.plusSeconds(100),
        next.rounds().get(2).startedAt(),
        "the next tick's rounds count from its own time");
    assertEquals(6, consecutiveDown(engine));
  }

  private static int consecutiveDown(WatchdogEngine engine) {
    return engine.status().get(0).state().consecutiveDown();
  }
}
