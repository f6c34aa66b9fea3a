package dev.hotpath.shared.turn.watchdog;

import java.time.Instant;
import java.util.List;

/** One round over all targets. */
public record RoundReport(String roundId, Instant startedAt, List<TargetReport> targets) {

  /** True when the watchdog failed itself on some target, so the caller should retry the round. */
  public boolean hasOwnFault() {
    return targets.stream().anyMatch(t -> t.error().isPresent());
  }
}
