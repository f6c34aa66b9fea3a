package dev.hotpath.shared.turn.probe;

/**
 * A probe attempt that got no acceptable answer; the message says what happened instead, the facts
 * what was learned anyway (e.g. the 508 a full server answered, an expired certificate).
 */
public final class ProbeFailure extends Exception {
  private final transient ProbeFacts facts;

  public ProbeFailure(String message) {
    this(message, ProbeFacts.NONE);
  }

  public ProbeFailure(String message, ProbeFacts facts) {
    super(message);
    this.facts = facts;
  }

  public ProbeFacts facts() {
    return facts;
  }
}
