package dev.hotpath.shared.turn.watchdog;

import dev.hotpath.shared.turn.ssh.RestartResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One outage the watchdog acted on: when it was detected, what the probes diagnosed, the restart
 * (if any) and how it ended. Numbered per target from 1.
 */
public final class Incident {
  private final String target;
  private final long number;
  private final Instant detectedAt;
  private final Diagnosis cause;
  private final Instant restartedAt;
  private final IncidentOutcome outcome;
  private final RestartResult restart;
  private final Instant recoveredAt;
  private final String detail;

  private Incident(
      String target,
      long number,
      Instant detectedAt,
      Diagnosis cause,
      Instant restartedAt,
      IncidentOutcome outcome,
      RestartResult restart,
      Instant recoveredAt,
      String detail) {
    this.target = target;
    this.number = number;
    this.detectedAt = detectedAt;
    this.cause = cause;
    this.restartedAt = restartedAt;
    this.outcome = outcome;
    this.restart = restart;
    this.recoveredAt = recoveredAt;
    this.detail = detail;
  }

  /** A restart about to run. */
  public static Incident restarting(
      String target, long number, Instant detectedAt, Diagnosis cause, Instant restartedAt) {
    return new Incident(
        target,
        number,
        detectedAt,
        cause,
        restartedAt,
        IncidentOutcome.IN_PROGRESS,
        null,
        null,
        "");
  }

  /**
   * The budget is spent: recorded without a restart; {@code detail} says what the spent restarts
   * did.
   */
  public static Incident givenUp(
      String target, long number, Instant detectedAt, Diagnosis cause, String detail) {
    return new Incident(
        target, number, detectedAt, cause, null, IncidentOutcome.GIVEN_UP, null, null, detail);
  }

  /**
   * A problem a restart does not cure: alerted only; {@code detail} is the failing probes' summary.
   */
  public static Incident alerted(
      String target, long number, Instant detectedAt, Diagnosis cause, String detail) {
    return new Incident(
        target, number, detectedAt, cause, null, IncidentOutcome.ALERTED, null, null, detail);
  }

  /** Any incident as stored. */
  public static Incident of(
      String target,
      long number,
      Instant detectedAt,
      Diagnosis cause,
      Instant restartedAt,
      IncidentOutcome outcome,
      RestartResult restart,
      Instant recoveredAt,
      String detail) {
    return new Incident(
        target, number, detectedAt, cause, restartedAt, outcome, restart, recoveredAt, detail);
  }

  /** This restart's end: recovered at {@code recoveredAt}, or still down when that is null. */
  public Incident concluded(RestartResult result, Instant recoveredAt) {
    IncidentOutcome end =
        recoveredAt != null ? IncidentOutcome.RECOVERED : IncidentOutcome.STILL_DOWN;
    return new Incident(
        target, number, detectedAt, cause, restartedAt, end, result, recoveredAt, detail);
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

  /** What the probes diagnosed when the incident was opened. */
  public Diagnosis cause() {
    return cause;
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

  /** A sentence for people: why it was given up, or what the probes saw; empty for restarts. */
  public String detail() {
    return detail;
  }

  /** From detection to recovery; present once RECOVERED. */
  public Optional<Duration> downtime() {
    return recoveredAt().map(r -> Duration.between(detectedAt, r));
  }
}
