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
  /**
   * The server answers but refuses what calls need (a STUN/TURN error such as 403 or 442), or loses
   * relayed bytes a restart did not cure: alerted with what to check, never restarted.
   */
  MISBEHAVING,
  /** The restart budget ran out; no more restarts until the target is seen healthy. */
  GIVEN_UP
}
