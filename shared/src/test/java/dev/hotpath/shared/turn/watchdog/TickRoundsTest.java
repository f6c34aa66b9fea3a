package dev.hotpath.shared.turn.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotpath.shared.turn.config.WatchdogSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a tick's rounds fall in its minute, on a clock that only moves when the rounds sleep. */
class TickRoundsTest {
  private static final Instant TICK = Instant.parse("2026-12-01T10:00:00Z");

  /** What the rounds saw: their ids and the instants they started at. */
  private final List<String> ids = new ArrayList<>();

  private final List<Duration> offsets = new ArrayList<>();

  private static TickRounds rounds(int perMinute, ManualTime time) {
    WatchdogSettings settings =
        WatchdogSettings.fromEnv(Map.of("TURN_ROUNDS_PER_MINUTE", String.valueOf(perMinute)));
    return new TickRounds(settings, time, time);
  }

  /** A round that takes {@code took} on the clock, and fails itself when told to. */
  private TickRounds.Round round(ManualTime time, Duration took, boolean ownFault) {
    return id -> {
      ids.add(id);
      offsets.add(Duration.between(TICK, time.instant()));
      time.pass(took);
      List<TargetReport> targets =
          ownFault
              ? List.of(
                  new TargetReport(
                      "t",
                      List.of(),
                      Action.NONE,
                      Optional.empty(),
                      Optional.empty(),
                      Optional.of("datastore unavailable"),
                      List.of()))
              : List.of();
      return new RoundReport(id, time.instant(), targets);
    };
  }

  @Test
  void oneRoundPerMinuteRunsOnceUnderTheTicksOwnId() throws Exception {
    ManualTime time = new ManualTime(TICK.plusMillis(300));
    List<RoundReport> ran = rounds(1, time).run(TICK, "tick-a", round(time, seconds(2), false));
    assertEquals(1, ran.size());
    assertEquals(List.of("tick-a"), ids);
    assertEquals(TICK.plusMillis(2300), time.instant(), "no wait after the only round");
  }

  @Test
  void severalRoundsRunEvenlySpacedFromTheTicksTime() throws Exception {
    for (int perMinute : new int[] {2, 3, 6}) {
      ids.clear();
      offsets.clear();
      ManualTime time = new ManualTime(TICK.plusMillis(300)); // delivered 0.3 s late
      List<RoundReport> ran =
          rounds(perMinute, time).run(TICK, "tick-a", round(time, seconds(2), false));
      assertEquals(perMinute, ran.size());
      List<Duration> expected = new ArrayList<>(List.of(Duration.ofMillis(300)));
      for (int k = 1; k < perMinute; k++) {
        expected.add(seconds(60L / perMinute * k));
      }
      assertEquals(expected, offsets, perMinute + " rounds per minute");
      assertEquals("tick-a-1", ids.get(0));
      assertEquals("tick-a-" + perMinute, ids.get(perMinute - 1));
      assertEquals(
          TICK.plus(seconds(60L / perMinute * (perMinute - 1) + 2)),
          time.instant(),
          "the tick ends with its last round, within the minute");
    }
  }

  @Test
  void aLateDeliveryRunsTheSlotDueNowThenTheLaterOnes() throws Exception {
    ManualTime time = new ManualTime(TICK.plusSeconds(25));
    rounds(3, time).run(TICK, "tick-a", round(time, seconds(1), false));
    assertEquals(List.of("tick-a-2", "tick-a-3"), ids, "slot 1 of 3 (at 20 s) is due at 25 s");
    assertEquals(List.of(seconds(25), seconds(40)), offsets);
  }

  @Test
  void aDeliveryAfterTheMinuteRunsOnlyTheLastSlot() throws Exception {
    ManualTime time = new ManualTime(TICK.plusSeconds(75));
    rounds(6, time).run(TICK, "tick-a", round(time, seconds(1), false));
    assertEquals(List.of("tick-a-6"), ids);
  }

  @Test
  void aSlotPassedDuringALongRoundIsSkippedNotRunLate() throws Exception {
    ManualTime time = new ManualTime(TICK);
    // Each round takes 25 s (a restart and its recovery): slots at 10, 20 and 50 s pass unrun.
    rounds(6, time).run(TICK, "tick-a", round(time, seconds(25), false));
    assertEquals(List.of("tick-a-1", "tick-a-4"), ids);
    assertEquals(List.of(seconds(0), seconds(30)), offsets);
    assertEquals(TICK.plusSeconds(55), time.instant(), "no round starts after the minute");
  }

  @Test
  void aRoundThatFailedItselfEndsTheTick() throws Exception {
    ManualTime time = new ManualTime(TICK);
    List<RoundReport> ran = rounds(3, time).run(TICK, "tick-a", round(time, seconds(1), true));
    assertEquals(1, ran.size(), "the scheduler's retry runs the rest");
    assertEquals(List.of("tick-a-1"), ids);
  }

  private static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
