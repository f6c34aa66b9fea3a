package dev.hotpath.shared.turn.watchdog;

import dev.hotpath.shared.turn.config.WatchdogSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decision rules, as pure functions of the stored state: diagnosis before cure (a target that
 * does not answer is restarted; one that loses relayed bytes once per episode; one out of capacity
 * only when opted in; error answers, rejected credentials and capacity are alerted),
 * consecutive-down threshold, restart lease, cooldown, hourly budget and GIVEN_UP. The store
 * applies them inside a transaction, so two rounds deciding at once see each other's lease.
 */
public final class RestartPolicy {
  private static final Duration BUDGET_WINDOW = Duration.ofHours(1);

  private final WatchdogSettings settings;

  public RestartPolicy(WatchdogSettings settings) {
    this.settings = settings;
  }

  /**
   * Applies one round's verdict to {@code before}.
   *
   * @param roundId identifies the round; the restart lease is held in its name
   */
  public Observation observe(TargetState before, Verdict verdict, Instant now, String roundId) {
    if (before.lastRound().filter(roundId::equals).isPresent()) {
      return replayed(before, verdict.diagnosis());
    }
    TargetState.Builder after =
        before.toBuilder().lastCheckedAt(now).lastProbes(verdict.summary()).lastRound(roundId);
    verdict.certificateExpiry().ifPresent(after::certificateExpiresAt);
    Diagnosis diagnosis = verdict.diagnosis();
    List<Instant> recent = new ArrayList<>();
    before.recentRestarts().stream()
        .filter(at -> at.isAfter(now.minus(BUDGET_WINDOW)))
        .forEach(recent::add);
    boolean budgetSpent = recent.size() >= settings.restartBudgetPerHour();
    if (diagnosis == Diagnosis.HEALTHY) {
      after.status(TargetStatus.HEALTHY).consecutiveDown(0).downSince(null).lastHealthyAt(now);
      if (!budgetSpent) {
        after.givenUpIncident(
            0); // seen healthy with restarts allowed again: the GIVEN_UP episode is over
      }
      return new Observation(after.build(), Action.NONE, Optional.empty());
    }
    Instant downSince = before.downSince().orElse(now);
    after.downSince(downSince);
    if (!diagnosis.restartCures(verdict.restartOnCapacity(), restartFailedThisEpisode(before))) {
      return alerted(before, after, diagnosis, verdict.summary(), now);
    }
    int down = before.consecutiveDown() + 1;
    after.consecutiveDown(down);
    if (before.status() == TargetStatus.GIVEN_UP) {
      return new Observation(after.build(), Action.NONE, Optional.empty());
    }
    after.status(diagnosis == Diagnosis.CAPACITY ? TargetStatus.DEGRADED : TargetStatus.DOWN);
    if (down < settings.downThreshold()) {
      return new Observation(after.build(), Action.BELOW_THRESHOLD, Optional.empty());
    }
    if (before.leasedAt(now)) {
      return new Observation(after.build(), Action.LEASED_ELSEWHERE, Optional.empty());
    }
    if (before
        .lastRestartAt()
        .filter(at -> now.isBefore(at.plus(settings.cooldown())))
        .isPresent()) {
      return new Observation(after.build(), Action.COOLDOWN, Optional.empty());
    }
    after.recentRestarts(recent);
    if (budgetSpent) {
      after.status(TargetStatus.GIVEN_UP);
      if (before.givenUpIncident() > 0) {
        // Flapping within one episode: its GIVEN_UP incident (and alert) stands for this outage
        // too.
        return new Observation(after.build(), Action.NONE, Optional.empty());
      }
      long number = before.incidentCount() + 1;
      after.incidentCount(number).givenUpIncident(number);
      return new Observation(
          after.build(),
          Action.GIVEN_UP,
          Optional.of(
              Incident.givenUp(
                  before.target(),
                  number,
                  downSince,
                  diagnosis,
                  givenUpDetail(recent, before.recentRecoveries()))));
    }
    long number = before.incidentCount() + 1;
    after.incidentCount(number);
    recent.add(now);
    after
        .recentRestarts(recent)
        .lastRestartAt(now)
        .lease(roundId, now.plus(settings.targetTimeout()));
    return new Observation(
        after.build(),
        Action.RESTARTED,
        Optional.of(Incident.restarting(before.target(), number, downSince, diagnosis, now)));
  }

  /**
   * What the spent budget did, for people: "3 restarts within the last hour, 3 of them brought it
   * back".
   */
  private static String givenUpDetail(List<Instant> restarts, List<Instant> recoveries) {
    long recovered = restarts.stream().filter(recoveries::contains).count();
    return restarts.size()
        + " restarts within the last hour, "
        + recovered
        + " of them brought it back; it is down"
        + " again, and is not restarted until it is seen healthy with the hourly budget free";
  }

  /**
   * Whether the current outage already had a restart (it did not cure it, or the outage would have
   * ended): a server that answers but loses relayed bytes gets one restart per episode, no more.
   */
  private static boolean restartFailedThisEpisode(TargetState before) {
    return before
        .downSince()
        .flatMap(since -> before.lastRestartAt().filter(at -> !at.isBefore(since)))
        .isPresent();
  }

  /**
   * A problem a restart does not cure: the status says which, and the first round that sees it
   * opens an ALERTED incident (later rounds of the same problem only update the state).
   */
  private static Observation alerted(
      TargetState before,
      TargetState.Builder after,
      Diagnosis diagnosis,
      String summary,
      Instant now) {
    TargetStatus status = diagnosis.alertedStatus();
    after.status(status).consecutiveDown(0);
    if (before.status() == status) {
      return new Observation(after.build(), Action.NONE, Optional.empty());
    }
    long number = before.incidentCount() + 1;
    after.incidentCount(number);
    return new Observation(
        after.build(),
        Action.ALERTED,
        Optional.of(Incident.alerted(before.target(), number, now, diagnosis, summary)));
  }

  /**
   * The state once the restart of {@code roundId} has ended: lease released, healthy again if it
   * recovered. A lease taken over by another round after ours expired is left alone, and ours is
   * kept (until its bound) when the command may still run on the host ({@code commandEnded} false).
   */
  public TargetState conclude(
      TargetState before, String roundId, boolean commandEnded, Instant recoveredAt, Instant now) {
    TargetState.Builder after = before.toBuilder().lastCheckedAt(now);
    boolean ours = before.leaseHolder().filter(roundId::equals).isPresent();
    if (ours && commandEnded) {
      after.lease(null, null);
    }
    if (recoveredAt != null) {
      after
          .status(TargetStatus.HEALTHY)
          .consecutiveDown(0)
          .downSince(null)
          .lastHealthyAt(recoveredAt);
      if (ours) {
        List<Instant> recoveries = new ArrayList<>(before.recentRecoveries());
        recoveries.retainAll(before.recentRestarts());
        before.lastRestartAt().ifPresent(recoveries::add);
        after.recentRecoveries(recoveries);
      }
    }
    return after.build();
  }

  /**
   * The transaction of this round already committed once (its response was lost and the client
   * re-ran it). Counting the round again would be wrong; the only thing to recover is our own
   * lease.
   */
  private static Observation replayed(TargetState before, Diagnosis cause) {
    if (before.leaseHolder().isPresent() && before.lastRound().equals(before.leaseHolder())) {
      Incident ours =
          Incident.restarting(
              before.target(),
              before.incidentCount(),
              before.downSince().orElseThrow(),
              cause, // this round's verdict: the one the restart was decided on when re-run
              before.lastRestartAt().orElseThrow());
      return new Observation(before, Action.RESTARTED, Optional.of(ours));
    }
    return new Observation(before, Action.NONE, Optional.empty());
  }
}
