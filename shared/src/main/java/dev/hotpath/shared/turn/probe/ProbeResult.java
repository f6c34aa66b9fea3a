package dev.hotpath.shared.turn.probe;

import java.time.Duration;

/** The outcome of one probe in one round: alive or not, why, how long it took, how many tries. */
public final class ProbeResult {
  private final ProbeKind kind;
  private final boolean alive;
  private final String detail;
  private final Duration elapsed;
  private final int attempts;

  public ProbeResult(ProbeKind kind, boolean alive, String detail, Duration elapsed, int attempts) {
    this.kind = kind;
    this.alive = alive;
    this.detail = detail;
    this.elapsed = elapsed;
    this.attempts = attempts;
  }

  public ProbeKind kind() {
    return kind;
  }

  public boolean alive() {
    return alive;
  }

  /** What the server answered, or why the probe failed (e.g. "timeout after 2000 ms"). */
  public String detail() {
    return detail;
  }

  public Duration elapsed() {
    return elapsed;
  }

  public int attempts() {
    return attempts;
  }

  @Override
  public String toString() {
    return kind.configName() + (alive ? " alive: " : " failed: ") + detail;
  }
}
