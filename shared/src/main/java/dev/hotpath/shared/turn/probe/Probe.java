package dev.hotpath.shared.turn.probe;

import java.time.Duration;

/**
 * One way of asking a server whether it is alive. Implementations are stateless and thread-safe.
 */
public interface Probe {

  ProbeKind kind();

  /**
   * One attempt, bounded by {@code timeout}.
   *
   * @return what the server answered, for the summary, and what the probe measured
   * @throws ProbeFailure when the server did not answer acceptably in time
   */
  ProbeAnswer attempt(Duration timeout) throws ProbeFailure;
}
