package dev.hotpath.shared.turn.watchdog;

import dev.hotpath.shared.turn.probe.ProbeResult;
import java.util.List;
import java.util.Set;

/**
 * What a round's probes say is wrong, which decides the cure. Only a server that does not answer
 * ({@link #DOWN}) is restarted as a rule: a server that answers with an error gives the same answer
 * after a restart, and restarting it cuts the calls it still carries.
 */
public enum Diagnosis {
  HEALTHY,
  /**
   * Some probe got no answer at all, or an unusable one (refused connection, silence, a wrong or
   * undecodable answer, a refused certificate).
   */
  DOWN,
  /**
   * The server granted the allocation and permissions but relayed bytes did not come back: one
   * restart per episode may cure a stuck relay; after a restart failed to, it is alerted.
   */
  RELAY_LOST,
  /**
   * The server answered with a STUN/TURN error other than 401, 486 and 508 (403 peer refused, 442
   * UDP relay disabled, 437 after its retries, …): it runs but refuses what calls need.
   */
  MISBEHAVING,
  /**
   * The server answered 508 Insufficient Capacity or 486 Allocation Quota Reached (RFC 8656 §19),
   * also for a second allocation while the probe's first one was held.
   */
  CAPACITY,
  /** The server rejected a correctly computed credential with 401: the secret or user differs. */
  CREDENTIALS_REJECTED;

  private static final int UNAUTHORIZED = 401;
  private static final Set<Integer> CAPACITY_CODES = Set.of(508, 486);

  /**
   * The most urgent cure wins: DOWN when any failure has neither an error code nor lost relayed
   * data (a dead server is restarted even if another probe also saw a 401), then lost relayed data,
   * then rejected credentials, other error answers and capacity.
   */
  public static Diagnosis of(List<ProbeResult> results) {
    List<ProbeResult> failures = results.stream().filter(r -> !r.alive()).toList();
    if (failures.isEmpty()) {
      return HEALTHY;
    }
    if (failures.stream().anyMatch(Diagnosis::unanswered)) {
      return DOWN;
    }
    if (failures.stream().anyMatch(r -> r.facts().relayedDataLost())) {
      return RELAY_LOST;
    }
    List<Integer> codes = failures.stream().map(r -> r.facts().stunError().orElseThrow()).toList();
    if (codes.contains(UNAUTHORIZED)) {
      return CREDENTIALS_REJECTED;
    }
    return CAPACITY_CODES.containsAll(codes) ? CAPACITY : MISBEHAVING;
  }

  /** Whether a restart is what this diagnosis calls for, before thresholds and budgets. */
  boolean restartCures(boolean restartOnCapacity, boolean restartFailedThisEpisode) {
    return switch (this) {
      case DOWN -> true;
      case RELAY_LOST -> !restartFailedThisEpisode;
      case CAPACITY -> restartOnCapacity;
      case HEALTHY, MISBEHAVING, CREDENTIALS_REJECTED -> false;
    };
  }

  /** The status of a target whose problem is alerted rather than restarted. */
  TargetStatus alertedStatus() {
    return switch (this) {
      case CREDENTIALS_REJECTED -> TargetStatus.MISCONFIGURED;
      case CAPACITY -> TargetStatus.DEGRADED;
      case HEALTHY, DOWN, RELAY_LOST, MISBEHAVING -> TargetStatus.MISBEHAVING;
    };
  }

  private static boolean unanswered(ProbeResult failed) {
    return failed.facts().stunError().isEmpty() && !failed.facts().relayedDataLost();
  }
}
