package dev.hotpath.shared.turn.watchdog;

/** What a round did about one target. */
public enum Action {
  /** Healthy, or given up already: nothing to do. */
  NONE,
  /** Down, but fewer consecutive down rounds than the threshold. */
  BELOW_THRESHOLD,
  /** Down, but the previous restart is more recent than the cooldown. */
  COOLDOWN,
  /** Down, and another round holds the restart lease. */
  LEASED_ELSEWHERE,
  /** This round ran the restart; the incident says how it ended. */
  RESTARTED,
  /** This round diagnosed a problem a restart does not cure and opened an ALERTED incident. */
  ALERTED,
  /** This round found the restart budget spent and gave the target up. */
  GIVEN_UP,
  /** The target's work did not finish within the per-target timeout. */
  TIMED_OUT
}
