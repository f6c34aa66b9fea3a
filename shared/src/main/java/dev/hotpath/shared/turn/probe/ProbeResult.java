package dev.hotpath.shared.turn.probe;

import java.time.Duration;

/**
 * The outcome of one probe in one round.
 *
 * @param detail what the server answered, or why the probe failed (e.g. "no answer over TCP within
 *     500 ms")
 * @param attempts how many tries it took (all of them when it failed)
 * @param facts what the successful try, or the last failed one, learned
 */
public record ProbeResult(
    ProbeKind kind,
    boolean alive,
    String detail,
    Duration elapsed,
    int attempts,
    ProbeFacts facts) {

  @Override
  public String toString() {
    return kind.configName() + (alive ? " alive: " : " failed: ") + detail;
  }
}
