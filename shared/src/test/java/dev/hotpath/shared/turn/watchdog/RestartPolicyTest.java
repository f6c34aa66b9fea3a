package dev.hotpath.shared.turn.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.turn.config.WatchdogSettings;
import dev.hotpath.shared.turn.probe.ProbeFacts;
import dev.hotpath.shared.turn.probe.ProbeKind;
import dev.hotpath.shared.turn.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decision rules alone, on hand-made states and a hand-moved clock. */
class RestartPolicyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final WatchdogSettings settings = PolicySettings.of(2, Duration.ofMinutes(5), 2);
  private final RestartPolicy policy = new RestartPolicy(settings);

  private Observation down(TargetState s, Instant at, String round) {
    return policy.observe(s, Verdict.of(Diagnosis.DOWN, "stun-udp failed"), at, round);
  }

  @Test
  void restartsOnlyFromTheThresholdOnAndTakesTheLease() {
    Observation first = down(TargetState.initial("t"), T0, "r1");
    assertEquals(Action.BELOW_THRESHOLD, first.action());
    Observation second = down(first.after(), T0.plusSeconds(60), "r2");
    assertEquals(Action.RESTARTED, second.action());
    assertEquals("r2", second.after().leaseHolder().orElseThrow());
    assertEquals(T0, second.incident().orElseThrow().detectedAt(), "detected when first seen down");
    assertEquals(1, second.incident().orElseThrow().number());

    Observation concurrent = down(second.after(), T0.plusSeconds(61), "r3");
    assertEquals(Action.LEASED_ELSEWHERE, concurrent.action());
  }

  @Test
  void aReplayedRoundNeitherCountsTwiceNorLosesItsLease() {
    Observation first = down(TargetState.initial("t"), T0, "r1");
    Observation restart = down(first.after(), T0.plusSeconds(60), "r2");
    Observation replay = down(restart.after(), T0.plusSeconds(61), "r2");
    assertEquals(Action.RESTARTED, replay.action());
    assertEquals(restart.after().consecutiveDown(), replay.after().consecutiveDown());
    assertEquals(
        restart.incident().orElseThrow().number(), replay.incident().orElseThrow().number());
  }

  @Test
  void cooldownThenBudgetThenGivenUpUntilHealthy() {
    TargetState s = down(TargetState.initial("t"), T0, "r0").after();
    Observation r1 = down(s, T0.plusSeconds(60), "r1");
    assertEquals(Action.RESTARTED, r1.action());
    s = policy.conclude(r1.after(), "r1", true, null, T0.plusSeconds(90));
    assertFalse(s.leaseHolder().isPresent());
    assertEquals(Action.COOLDOWN, down(s, T0.plusSeconds(120), "r2").action());
    Observation r3 = down(s, T0.plusSeconds(60 + 301), "r3");
    assertEquals(Action.RESTARTED, r3.action());
    s = policy.conclude(r3.after(), "r3", true, null, T0.plusSeconds(400));
    Observation r4 = down(s, T0.plusSeconds(60 + 301 + 301), "r4");
    assertEquals(Action.GIVEN_UP, r4.action());
    assertEquals(IncidentOutcome.GIVEN_UP, r4.incident().orElseThrow().outcome());
    Observation later = down(r4.after(), T0.plusSeconds(7200), "r5");
    assertEquals(
        Action.NONE, later.action(), "given up stays given up, even after the budget window");
    assertEquals(TargetStatus.GIVEN_UP, later.after().status());
    Observation healthy =
        policy.observe(
            later.after(), Verdict.of(Diagnosis.HEALTHY, "ok"), T0.plusSeconds(7300), "r6");
    assertEquals(TargetStatus.HEALTHY, healthy.after().status());
    assertEquals(0, healthy.after().consecutiveDown());
    Observation again =
        down(down(healthy.after(), T0.plusSeconds(7400), "r7").after(), T0.plusSeconds(7500), "r8");
    assertEquals(Action.RESTARTED, again.action(), "the budget counts only the last hour");
  }

  @Test
  void recoveryEndsTheOutage() {
    Observation r =
        down(down(TargetState.initial("t"), T0, "r0").after(), T0.plusSeconds(60), "r1");
    TargetState after =
        policy.conclude(r.after(), "r1", true, T0.plusSeconds(70), T0.plusSeconds(71));
    assertEquals(TargetStatus.HEALTHY, after.status());
    assertTrue(after.downSince().isEmpty());
    assertEquals(
        Duration.ofSeconds(70),
        r.incident().orElseThrow().concluded(null, T0.plusSeconds(70)).downtime().orElseThrow());
  }

  /**
   * Restarts that each recover it, until the hour's budget is spent: one GIVEN_UP incident for the
   * episode.
   */
  @Test
  void flappingBeyondTheBudgetIsOneGivenUpIncidentThatSaysWhatHappened() {
    WatchdogSettings quick = PolicySettings.of(1, Duration.ZERO, 3);
    RestartPolicy flapping = new RestartPolicy(quick);
    TargetState s = TargetState.initial("t");
    List<Incident> incidents = new ArrayList<>();
    Instant at = T0;
    for (int outage = 0; outage < 8; outage++, at = at.plusSeconds(120)) {
      String round = "r" + outage;
      Observation o = flapping.observe(s, Verdict.of(Diagnosis.DOWN, "stun-udp failed"), at, round);
      o.incident().ifPresent(incidents::add);
      s = o.after();
      if (o.action() == Action.RESTARTED) {
        s =
            flapping.conclude(
                s,
                round,
                true,
                at.plusSeconds(5),
                at.plusSeconds(5)); // every restart brings it back
      } else {
        // it comes back by itself (or an operator's hand) between outages
        s =
            flapping
                .observe(
                    s, Verdict.of(Diagnosis.HEALTHY, "ok"), at.plusSeconds(60), round + "-healthy")
                .after();
      }
    }
    List<IncidentOutcome> outcomes = incidents.stream().map(Incident::outcome).toList();
    assertEquals(
        List.of(
            IncidentOutcome.IN_PROGRESS,
            IncidentOutcome.IN_PROGRESS,
            IncidentOutcome.IN_PROGRESS,
            IncidentOutcome.GIVEN_UP),
        outcomes,
        "3 restarts, then one GIVEN_UP for the rest of the hour");
    assertEquals(
        "3 restarts within the last hour, 3 of them brought it back; it is down again, and is not restarted"
            + " until it is seen healthy with the hourly budget free",
        incidents.get(3).detail());

    // An hour after the first restart the budget has room: healthy ends the episode, and the next
    // outage is restarted again rather than given up.
    Instant later = T0.plus(Duration.ofMinutes(61));
    s = flapping.observe(s, Verdict.of(Diagnosis.HEALTHY, "ok"), later, "h").after();
    assertEquals(0, s.givenUpIncident());
    assertEquals(
        Action.RESTARTED,
        flapping.observe(s, Verdict.of(Diagnosis.DOWN, "x"), later.plusSeconds(60), "d").action());
  }

  @Test
  void aCommandThatMayStillRunKeepsTheLeaseUntilItsBound() {
    WatchdogSettings eager = PolicySettings.of(1, Duration.ZERO, 10);
    RestartPolicy p = new RestartPolicy(eager);
    Observation r1 = p.observe(TargetState.initial("t"), Verdict.of(Diagnosis.DOWN, "x"), T0, "r1");
    TargetState unknownEnd = p.conclude(r1.after(), "r1", false, null, T0.plusSeconds(70));
    assertEquals(
        "r1",
        unknownEnd.leaseHolder().orElseThrow(),
        "the command may still run: no second restart yet");
    assertEquals(
        Action.LEASED_ELSEWHERE,
        p.observe(unknownEnd, Verdict.of(Diagnosis.DOWN, "x"), T0.plusSeconds(80), "r2").action());
    assertEquals(
        Action.RESTARTED,
        p.observe(unknownEnd, Verdict.of(Diagnosis.DOWN, "x"), T0.plusSeconds(241), "r3").action(),
        "the lease's own bound passed");

    TargetState killed = p.conclude(r1.after(), "r1", true, null, T0.plusSeconds(70));
    assertFalse(
        killed.leaseHolder().isPresent(), "a command known gone releases the lease at once");
  }

  @Test
  void capacityIsRestartedOnlyWhenTheTargetOptsInAndCredentialsNever() {
    WatchdogSettings eager = PolicySettings.of(1, Duration.ZERO, 10);
    RestartPolicy p = new RestartPolicy(eager);
    Verdict full =
        new Verdict(Diagnosis.CAPACITY, "turn-relay failed: 508", Optional.empty(), false);
    Observation alerted = p.observe(TargetState.initial("t"), full, T0, "r1");
    assertEquals(Action.ALERTED, alerted.action());
    assertEquals(TargetStatus.DEGRADED, alerted.after().status());
    assertEquals(Diagnosis.CAPACITY, alerted.incident().orElseThrow().cause());
    assertEquals(
        Action.NONE,
        p.observe(alerted.after(), full, T0.plusSeconds(60), "r2").action(),
        "alerted once");

    Verdict optedIn =
        new Verdict(Diagnosis.CAPACITY, "turn-relay failed: 508", Optional.empty(), true);
    Observation restarted = p.observe(TargetState.initial("t"), optedIn, T0, "r1");
    assertEquals(Action.RESTARTED, restarted.action());
    assertEquals(TargetStatus.DEGRADED, restarted.after().status());
    assertEquals(Diagnosis.CAPACITY, restarted.incident().orElseThrow().cause());

    Verdict rejected =
        new Verdict(
            Diagnosis.CREDENTIALS_REJECTED, "turn-relay failed: 401", Optional.empty(), true);
    Observation misconfigured = p.observe(TargetState.initial("t"), rejected, T0, "r1");
    assertEquals(Action.ALERTED, misconfigured.action());
    assertEquals(TargetStatus.MISCONFIGURED, misconfigured.after().status());
    assertFalse(
        misconfigured.after().leaseHolder().isPresent(),
        "no restart, not even with restartOnCapacity");
    Observation fixed =
        p.observe(
            misconfigured.after(), Verdict.of(Diagnosis.HEALTHY, "ok"), T0.plusSeconds(60), "r2");
    assertEquals(TargetStatus.HEALTHY, fixed.after().status());
  }

  @Test
  void aFailureWithoutAnErrorCodeMeansDownWhateverElseWasSeen() {
    ProbeResult alive = result(ProbeKind.STUN_UDP, true, ProbeFacts.NONE);
    ProbeResult silent = result(ProbeKind.STUN_TLS, false, ProbeFacts.NONE);
    ProbeResult unauthorized = result(ProbeKind.TURN_RELAY, false, ProbeFacts.stunError(401));
    ProbeResult full = result(ProbeKind.TURN_RELAY, false, ProbeFacts.stunError(508));
    ProbeResult quota = result(ProbeKind.TURN_RELAY, false, ProbeFacts.stunError(486));
    ProbeResult mismatch = result(ProbeKind.TURN_RELAY, false, ProbeFacts.stunError(437));
    assertEquals(Diagnosis.HEALTHY, Diagnosis.of(List.of(alive)));
    assertEquals(Diagnosis.CREDENTIALS_REJECTED, Diagnosis.of(List.of(alive, unauthorized)));
    assertEquals(Diagnosis.CAPACITY, Diagnosis.of(List.of(alive, full)));
    assertEquals(Diagnosis.CAPACITY, Diagnosis.of(List.of(quota)));
    assertEquals(Diagnosis.DOWN, Diagnosis.of(List.of(unauthorized, silent)));
    assertEquals(Diagnosis.MISBEHAVING, Diagnosis.of(List.of(mismatch)));
    assertEquals(Diagnosis.MISBEHAVING, Diagnosis.of(List.of(full, mismatch)));
    assertEquals(Diagnosis.CREDENTIALS_REJECTED, Diagnosis.of(List.of(mismatch, unauthorized)));
    ProbeResult lost = result(ProbeKind.TURN_RELAY, false, ProbeFacts.dataLost());
    assertEquals(Diagnosis.RELAY_LOST, Diagnosis.of(List.of(alive, lost, unauthorized)));
    assertEquals(Diagnosis.DOWN, Diagnosis.of(List.of(lost, silent)));
  }

  @Test
  void anErrorAnswerIsAlertedAsMisbehavingAndNeverRestarted() {
    RestartPolicy p = new RestartPolicy(PolicySettings.of(1, Duration.ZERO, 10));
    Verdict refused =
        Verdict.of(Diagnosis.MISBEHAVING, "turn-relay failed: CreatePermission answered 403");
    Observation first = p.observe(TargetState.initial("t"), refused, T0, "r1");
    assertEquals(Action.ALERTED, first.action());
    assertEquals(TargetStatus.MISBEHAVING, first.after().status());
    assertEquals(Diagnosis.MISBEHAVING, first.incident().orElseThrow().cause());
    assertEquals(
        refused.summary(), first.incident().orElseThrow().detail(), "the alert says what failed");
    Observation second = p.observe(first.after(), refused, T0.plusSeconds(60), "r2");
    assertEquals(Action.NONE, second.action(), "alerted once per episode");
    assertTrue(second.after().recentRestarts().isEmpty());
  }

  /** Lost relayed bytes from a server that answers: one restart may cure it, a second will not. */
  @Test
  void lostRelayedBytesGetOneRestartPerOutageThenAnAlert() {
    RestartPolicy p = new RestartPolicy(PolicySettings.of(1, Duration.ZERO, 10));
    Verdict lost = Verdict.of(Diagnosis.RELAY_LOST, "turn-relay failed: bytes did not come back");
    Observation first = p.observe(TargetState.initial("t"), lost, T0, "r1");
    assertEquals(Action.RESTARTED, first.action());
    assertEquals(Diagnosis.RELAY_LOST, first.incident().orElseThrow().cause());
    assertEquals(
        Diagnosis.RELAY_LOST,
        p.observe(first.after(), lost, T0.plusSeconds(1), "r1").incident().orElseThrow().cause(),
        "a replayed round names the cause it restarted for");
    TargetState notCured = p.conclude(first.after(), "r1", true, null, T0.plusSeconds(30));
    Observation second = p.observe(notCured, lost, T0.plusSeconds(60), "r2");
    assertEquals(Action.ALERTED, second.action());
    assertEquals(TargetStatus.MISBEHAVING, second.after().status());
    assertEquals(Action.NONE, p.observe(second.after(), lost, T0.plusSeconds(120), "r3").action());

    // Cured by its restart: the next loss is a new outage, which may be restarted once again.
    TargetState cured =
        p.conclude(first.after(), "r1", true, T0.plusSeconds(20), T0.plusSeconds(30));
    assertEquals(Action.RESTARTED, p.observe(cured, lost, T0.plusSeconds(600), "r4").action());
    // A restart for silence that brought back a server which answers but loses relayed bytes.
    Observation silent =
        p.observe(TargetState.initial("t"), Verdict.of(Diagnosis.DOWN, "x"), T0, "r5");
    TargetState answering = p.conclude(silent.after(), "r5", true, null, T0.plusSeconds(30));
    assertEquals(Action.ALERTED, p.observe(answering, lost, T0.plusSeconds(60), "r6").action());
  }

  private static ProbeResult result(ProbeKind kind, boolean alive, ProbeFacts facts) {
    return new ProbeResult(kind, alive, "", Duration.ZERO, 1, facts);
  }
}
