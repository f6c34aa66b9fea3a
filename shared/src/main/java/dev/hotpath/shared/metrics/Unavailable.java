package dev.hotpath.shared.metrics;

/** Why a request was answered 503: the bounded values of the {@code cause} label. */
public enum Unavailable {
  /** A write (or an operation's transaction) could not land within its retry budget. */
  RETRY_BUDGET("retry_budget"),
  /** The instance was draining after SIGTERM. */
  SHUTTING_DOWN("shutting_down"),
  /** Anything else answered 503 (e.g. no operations queue configured). */
  OTHER("other");

  private final String label;

  Unavailable(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
