package dev.hotpath.shared.metrics;

/** What a named figure belongs to: a sharded counter or an entity group. */
public enum Family {
  COUNTER("counter"),
  GROUP("group");

  private final String label;

  Family(String label) {
    this.label = label;
  }

  /** The value of the {@code family} field of a summary record. */
  public String label() {
    return label;
  }
}
