package dev.hotpath.shared.turn.watchdog;

import java.util.List;
import java.util.Optional;

/**
 * What one delivery of a scheduler tick did.
 *
 * @param claim what the delivery was allowed to do
 * @param rounds the rounds it ran, in order (none unless the claim was {@link TickClaim.Kind#RUN})
 * @param report the tick's report: the first delivery's when answered, this one's when it ran and
 *     recorded it; empty otherwise (running elsewhere, superseded, or a round that failed itself)
 */
public record TickRun(TickClaim claim, List<RoundReport> rounds, Optional<String> report) {
  public TickRun {
    rounds = List.copyOf(rounds);
  }

  /** The last round this delivery ran, which ended the tick (or failed itself). */
  public Optional<RoundReport> lastRound() {
    return rounds.isEmpty() ? Optional.empty() : Optional.of(rounds.get(rounds.size() - 1));
  }
}
