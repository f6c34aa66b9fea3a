package dev.hotpath.shared.turn.watchdog;

/** How an incident ended. */
public enum IncidentOutcome {
  /** The restart is running (or its round died; the lease then expires). */
  IN_PROGRESS,
  /** Healthy again after the restart; the incident carries the downtime. */
  RECOVERED,
  /** Not healthy within the recovery timeout, or the restart could not run. */
  STILL_DOWN,
  /** The restart budget was spent; no restart was attempted. */
  GIVEN_UP,
  /**
   * A diagnosis no restart cures (credentials rejected, capacity without restartOnCapacity):
   * alerted only.
   */
  ALERTED
}
