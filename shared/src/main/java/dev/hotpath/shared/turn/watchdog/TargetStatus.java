package dev.hotpath.shared.turn.watchdog;

/** Where a target stands after the latest round. */
public enum TargetStatus {
  /** Never checked yet. */
  UNKNOWN,
  HEALTHY,
  /** At least one probe failed in the latest round. */
  DOWN,
  /** The restart budget ran out; no more restarts until the target is seen healthy. */
  GIVEN_UP
}
