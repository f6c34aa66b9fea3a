package dev.hotpath.shared.turn.probe;

/** A probe attempt that got no acceptable answer; the message says what happened instead. */
public final class ProbeFailure extends Exception {
  public ProbeFailure(String message) {
    super(message);
  }
}
