package dev.hotpath.emulators.datastore.engine;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Injected failures, each a probability per call. {@code unavailable} and {@code deadlineExceeded}
 * fail any Datastore call before it does anything; {@code lostResponse} applies a commit and then
 * answers {@code DEADLINE_EXCEEDED} as if the response had been lost on the way back. Draws come
 * from one random sequence seeded with {@code seed}, so a single-threaded run repeats exactly.
 *
 * <p>Spec format (CLI {@code --faults}): comma-separated {@code name=value} pairs out of {@code
 * unavailable}, {@code deadline-exceeded}, {@code lost-response} (probabilities 0–1, summing to at
 * most 1) and {@code seed} (an integer, default 1); {@code none} or an empty spec means no faults.
 * Example: {@code unavailable=0.05,deadline-exceeded=0.02,lost-response=0.05,seed=42}.
 */
public final class Faults {
  private static final Faults NONE = new Faults(0, 0, 0, 1);

  private final double unavailable;
  private final double deadlineExceeded;
  private final double lostResponse;
  private final long seed;

  private Faults(double unavailable, double deadlineExceeded, double lostResponse, long seed) {
    check("unavailable", unavailable);
    check("deadline-exceeded", deadlineExceeded);
    check("lost-response", lostResponse);
    if (unavailable + deadlineExceeded + lostResponse > 1 + 1e-9) {
      throw new IllegalArgumentException("fault probabilities must add up to at most 1");
    }
    this.unavailable = unavailable;
    this.deadlineExceeded = deadlineExceeded;
    this.lostResponse = lostResponse;
    this.seed = seed;
  }

  private static void check(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(name + " must be a probability from 0 to 1, got " + p);
    }
  }

  public static Faults none() {
    return NONE;
  }

  /**
   * Parses a spec as described in the class comment.
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static Faults parse(String spec) {
    String trimmed = spec == null ? "" : spec.trim();
    if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none")) {
      return NONE;
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : trimmed.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "fault spec part '" + part.trim() + "' is not name=value");
      }
      String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (parts.put(name, part.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException("fault spec names '" + name + "' twice");
      }
    }
    Builder b = builder();
    for (Map.Entry<String, String> e : parts.entrySet()) {
      String value = e.getValue();
      switch (e.getKey()) {
        case "unavailable" -> b.unavailable(probability(e.getKey(), value));
        case "deadline-exceeded" -> b.deadlineExceeded(probability(e.getKey(), value));
        case "lost-response" -> b.lostResponse(probability(e.getKey(), value));
        case "seed" -> {
          try {
            b.seed(Long.parseLong(value));
          } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("seed must be an integer, got '" + value + "'");
          }
        }
        default ->
            throw new IllegalArgumentException(
                "unknown fault '"
                    + e.getKey()
                    + "'; use unavailable, deadline-exceeded, lost-response, seed");
      }
    }
    return b.build();
  }

  private static double probability(String name, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a probability from 0 to 1, got '" + value + "'");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public double unavailable() {
    return unavailable;
  }

  public double deadlineExceeded() {
    return deadlineExceeded;
  }

  public double lostResponse() {
    return lostResponse;
  }

  public long seed() {
    return seed;
  }

  public boolean any() {
    return unavailable + deadlineExceeded + lostResponse > 0;
  }

  /** The spec that {@link #parse} turns back into these faults. */
  @Override
  public String toString() {
    if (!any()) {
      return "none";
    }
    return "unavailable="
        + unavailable
        + ",deadline-exceeded="
        + deadlineExceeded
        + ",lost-response="
        + lostResponse
        + ",seed="
        + seed;
  }

  public static final class Builder {
    private double unavailable;
    private double deadlineExceeded;
    private double lostResponse;
    private long seed = 1;

    public Builder unavailable(double p) {
      this.unavailable = p;
      return this;
    }

    public Builder deadlineExceeded(double p) {
      this.deadlineExceeded = p;
      return this;
    }

    public Builder lostResponse(double p) {
      this.lostResponse = p;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @throws IllegalArgumentException when a probability is out of range or they add up past 1
     */
    public Faults build() {
      return new Faults(unavailable, deadlineExceeded, lostResponse, seed);
    }
  }
}
