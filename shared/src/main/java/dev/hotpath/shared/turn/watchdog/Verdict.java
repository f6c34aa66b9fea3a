package dev.hotpath.shared.turn.watchdog;

import java.time.Instant;
import java.util.Optional;

/**
 * One round's findings about a target, as the restart policy takes them.
 *
 * @param summary one line per probe, for the stored state
 * @param certificateExpiry the TLS certificate's expiry when a stun-tls probe saw one
 * @param restartOnCapacity the target's opt-in to restarts for a capacity diagnosis
 */
public record Verdict(
    Diagnosis diagnosis,
    String summary,
    Optional<Instant> certificateExpiry,
    boolean restartOnCapacity) {

  /** A plain verdict: no certificate seen, no capacity restarts. */
  public static Verdict of(Diagnosis diagnosis, String summary) {
    return new Verdict(diagnosis, summary, Optional.empty(), false);
  }
}
