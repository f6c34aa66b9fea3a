package dev.hotpath.shared.turn.watchdog;

/** Where a target stands after the latest round. */
public enum TargetStatus {
  /** Never checked yet. */
  UNKNOWN,
  HEALTHY,
  /** At least one probe failed in the latest round. */
  DOWN,
  /**
   * The server is out of relay capacity (508, 486): alerted; restarted only if the target opts in.
   */
  DEGRADED,
  /**
   * The server rejects the watchdog's correctly computed credentials (401): alerted, never
   * restarted.
   */
  MISCONFIGURED,
  /** The restart budget ran out; no more restarts until the target is seen healthy. */
  GIVEN_UP
}
