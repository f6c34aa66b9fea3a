package dev.hotpath.shared.turn.watchdog;

import dev.hotpath.shared.turn.ssh.RestartResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One outage the watchdog acted on: when it was detected, the restart (if any) and how it ended.
 * Numbered per target from 1.
 */
public final class Incident {
  private final String target;
  private final long number;
  private final Instant detectedAt;
  private final Instant restartedAt;
  private final IncidentOutcome outcome;
  private final RestartResult restart;
  private final Instant recoveredAt;

  private Incident(String target, long number, Instant detectedAt, Instant restartedAt, IncidentOutcome outcome,
      RestartResult restart, Instant recoveredAt) {
    this.target = target;
    this.number = number;
    this.detectedAt = detectedAt;
    this.restartedAt = restartedAt;
    this.outcome = outcome;
    this.restart = restart;
    this.recoveredAt = recoveredAt;
  }

  /** A restart about to run. */
  public static Incident restarting(String target, long number, Instant detectedAt, Instant restartedAt) {
    return new Incident(target, number, detectedAt, restartedAt, IncidentOutcome.IN_PROGRESS, null, null);
  }

  /** The budget is spent: recorded without a restart. */
  public static Incident givenUp(String target, long number, Instant detectedAt) {
    return new Incident(target, number, detectedAt, null, IncidentOutcome.GIVEN_UP, null, null);
  }

  /** Any incident as stored. */
  public static Incident of(String target, long number, Instant detectedAt, Instant restartedAt,
      IncidentOutcome outcome, RestartResult restart, Instant recoveredAt) {
    return new Incident(target, number, detectedAt, restartedAt, outcome, restart, recoveredAt);
  }

  /** This restart's end: recovered at {@code recoveredAt}, or still down when that is null. */
  public Incident concluded(RestartResult result, Instant recoveredAt) {
    IncidentOutcome end = recoveredAt != null ? IncidentOutcome.RECOVERED : IncidentOutcome.STILL_DOWN;
    return new Incident(target, number, detectedAt, restartedAt, end, result, recoveredAt);
  }

  public String target() {
    return target;
  }

  public long number() {
    return number;
  }

  public Instant detectedAt() {
    return detectedAt;
  }

  public Optional<Instant> restartedAt() {
    return Optional.ofNullable(restartedAt);
  }

  public IncidentOutcome outcome() {
    return outcome;
  }

  public Optional<RestartResult> restart() {
    return Optional.ofNullable(restart);
  }

  public Optional<Instant> recoveredAt() {
    return Optional.ofNullable(recoveredAt);
  }

  /** From detection to recovery; present once RECOVERED. */
  public Optional<Duration> downtime() {
    return recoveredAt().map(r -> Duration.between(detectedAt, r));
  }
}
