package dev.hotpath.shared.turn.probe;

/** An acceptable answer: what the server said, for the summary, and what the probe measured. */
public record ProbeAnswer(String detail, ProbeFacts facts) {

  public static ProbeAnswer of(String detail) {
    return new ProbeAnswer(detail, ProbeFacts.NONE);
  }
}
