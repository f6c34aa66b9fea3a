package dev.hotpath.shared.turn.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetStateTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aNeverSeenTargetIsUnknownWithNothingRecorded() {
    TargetState s = TargetState.initial("turn-a");
    assertEquals(TargetStatus.UNKNOWN, s.status());
    assertEquals(Optional.empty(), s.downSince());
    assertEquals("", s.lastProbes());
    assertEquals(List.of(), s.recentRestarts());
    assertFalse(s.leasedAt(T0));
  }

  @Test
  void toBuilderCarriesEveryFieldOver() {
    TargetState s =
        TargetState.builder("turn-a")
            .status(TargetStatus.DOWN)
            .consecutiveDown(2)
            .downSince(T0)
            .lastCheckedAt(T0.plusSeconds(60))
            .lastHealthyAt(T0.minusSeconds(60))
            .lastProbes("stun-udp failed")
            .lastRestartAt(T0.plusSeconds(61))
            .recentRestarts(List.of(T0.plusSeconds(61)))
            .lease("round-2", T0.plusSeconds(150))
            .lastRound("round-2")
            .incidentCount(3)
            .givenUpIncident(0)
            .recentRecoveries(List.of(T0))
            .certificateExpiresAt(T0.plusSeconds(86_400))
            .build();
    assertEquals(s, s.toBuilder().build());
    assertTrue(s.leasedAt(T0.plusSeconds(149)));
    assertFalse(s.leasedAt(T0.plusSeconds(150)));
    assertFalse(s.toBuilder().lease(null, null).build().leasedAt(T0));
  }

  @Test
  void theListsAreCopies() {
    List<Instant> restarts = new ArrayList<>(List.of(T0));
    TargetState s = TargetState.builder("turn-a").recentRestarts(restarts).build();
    restarts.add(T0.plusSeconds(1));
    assertEquals(List.of(T0), s.recentRestarts());
  }

  @Test
  void impossibleCountsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TargetState.builder("turn-a").consecutiveDown(-1).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> TargetState.builder("turn-a").incidentCount(-1).build());
    assertThrows(
        NullPointerException.class, () -> TargetState.builder("turn-a").status(null).build());
  }
}
