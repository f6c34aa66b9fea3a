package dev.hotpath.emulators.datastore.engine;

/**
 * Production-limit mode: how many writes per second one entity (or one entity group) sustains
 * before commits fail with {@code ABORTED} and the production message {@value #CONTENTION_MESSAGE}.
 * Each budget is a token bucket: it refills at {@link #writesPerSecond()} and holds at most {@link
 * #burst()} writes, so short bursts pass and sustained overload does not.
 */
public final class WriteLimits {
  public static final String CONTENTION_MESSAGE =
      "too much contention on these datastore entities. please try again.";

  /** What one budget covers. */
  public enum Scope {
    /** Every entity has its own budget. */
    ENTITY,
    /** A write counts against its root entity's budget, so many children share one hot parent. */
    ENTITY_GROUP
  }

  private static final WriteLimits UNLIMITED =
      new WriteLimits(false, Double.POSITIVE_INFINITY, 0, Scope.ENTITY);

  private final boolean enabled;
  private final double writesPerSecond;
  private final double burst;
  private final Scope scope;

  private WriteLimits(boolean enabled, double writesPerSecond, double burst, Scope scope) {
    this.enabled = enabled;
    this.writesPerSecond = writesPerSecond;
    this.burst = burst;
    this.scope = scope;
  }

  /** No limits: the default, like Google's emulator. */
  public static WriteLimits unlimited() {
    return UNLIMITED;
  }

  /** One write per second per entity with a burst of two, as production sustains. */
  public static WriteLimits production() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean enabled() {
    return enabled;
  }

  public double writesPerSecond() {
    return writesPerSecond;
  }

  public double burst() {
    return burst;
  }

  public Scope scope() {
    return scope;
  }

  @Override
  public String toString() {
    return enabled
        ? "WriteLimits{" + writesPerSecond + "/s, burst " + burst + ", scope " + scope + "}"
        : "WriteLimits{unlimited}";
  }

  /** Builds an enabled limit; defaults are {@link #production()}'s. */
  public static final class Builder {
    private double writesPerSecond = 1;
    private double burst = 2;
    private Scope scope = Scope.ENTITY;

    public Builder writesPerSecond(double writesPerSecond) {
      if (!(writesPerSecond > 0) || Double.isInfinite(writesPerSecond)) {
        throw new IllegalArgumentException(
            "writesPerSecond must be a positive number, got " + writesPerSecond);
      }
      this.writesPerSecond = writesPerSecond;
      return this;
    }

    /** How many writes a rested budget admits at once (at least 1). */
    public Builder burst(double burst) {
      if (!(burst >= 1) || Double.isInfinite(burst)) {
        throw new IllegalArgumentException("burst must be at least 1, got " + burst);
      }
      this.burst = burst;
      return this;
    }

    public Builder scope(Scope scope) {
      if (scope == null) {
        throw new IllegalArgumentException("scope must not be null");
      }
      this.scope = scope;
      return this;
    }

    public WriteLimits build() {
      return new WriteLimits(true, writesPerSecond, burst, scope);
    }
  }
}
