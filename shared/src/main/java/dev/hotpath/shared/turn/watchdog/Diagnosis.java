package dev.hotpath.shared.turn.watchdog;

import dev.hotpath.shared.turn.probe.ProbeResult;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a round's probes say is wrong, which decides the cure: only {@link #DOWN} is restarted as a
 * rule; a restart cures neither rejected credentials nor, usually, a full server.
 */
public enum Diagnosis {
  HEALTHY,
  /**
   * Some probe got no acceptable answer (no answer, wrong answer, relayed bytes lost, bad
   * certificate).
   */
  DOWN,
  /**
   * The server answered 508 Insufficient Capacity or 486 Allocation Quota Reached (RFC 8656 §19).
   */
  CAPACITY,
  /** The server rejected a correctly computed credential with 401: the secret or user differs. */
  CREDENTIALS_REJECTED;

  private static final int UNAUTHORIZED = 401;
  private static final Set<Integer> CAPACITY_CODES = Set.of(508, 486);

  /**
   * DOWN wins when any failure is not explained by an error code (a dead server is restarted even
   * if another probe also saw a 401); then rejected credentials, then capacity.
   */
  public static Diagnosis of(List<ProbeResult> results) {
    List<Optional<Integer>> failures =
        results.stream().filter(r -> !r.alive()).map(r -> r.facts().stunError()).toList();
    if (failures.isEmpty()) {
      return HEALTHY;
    }
    if (failures.stream()
        .anyMatch(
            c -> c.isEmpty() || (c.get() != UNAUTHORIZED && !CAPACITY_CODES.contains(c.get())))) {
      return DOWN;
    }
    return failures.stream().anyMatch(c -> c.get() == UNAUTHORIZED)
        ? CREDENTIALS_REJECTED
        : CAPACITY;
  }
}
