package dev.hotpath.shared.turn.watchdog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the watchdog remembers about one target between rounds (one Datastore entity). */
public final class TargetState {
  private final String target;
  private final TargetStatus status;
  private final int consecutiveDown;
  private final Instant downSince;
  private final Instant lastCheckedAt;
  private final Instant lastHealthyAt;
  private final String lastProbes;
  private final Instant lastRestartAt;
  private final List<Instant> recentRestarts;
  private final String leaseHolder;
  private final Instant leaseUntil;
  private final String lastRound;
  private final long incidentCount;
  private final long givenUpIncident;
  private final List<Instant> recentRecoveries;
  private final Instant certificateExpiresAt;

  private TargetState(Builder b) {
    this.target = b.target;
    this.status = b.status;
    this.consecutiveDown = b.consecutiveDown;
    this.downSince = b.downSince;
    this.lastCheckedAt = b.lastCheckedAt;
    this.lastHealthyAt = b.lastHealthyAt;
    this.lastProbes = b.lastProbes;
    this.lastRestartAt = b.lastRestartAt;
    this.recentRestarts = List.copyOf(b.recentRestarts);
    this.leaseHolder = b.leaseHolder;
    this.leaseUntil = b.leaseUntil;
    this.lastRound = b.lastRound;
    this.incidentCount = b.incidentCount;
    this.givenUpIncident = b.givenUpIncident;
    this.recentRecoveries = List.copyOf(b.recentRecoveries);
    this.certificateExpiresAt = b.certificateExpiresAt;
  }

  /** The state of a target never seen before. */
  public static TargetState initial(String target) {
    return new Builder(target).build();
  }

  public static Builder builder(String target) {
    return new Builder(target);
  }

  public Builder toBuilder() {
    Builder b = new Builder(target);
    b.status = status;
    b.consecutiveDown = consecutiveDown;
    b.downSince = downSince;
    b.lastCheckedAt = lastCheckedAt;
    b.lastHealthyAt = lastHealthyAt;
    b.lastProbes = lastProbes;
    b.lastRestartAt = lastRestartAt;
    b.recentRestarts = recentRestarts;
    b.leaseHolder = leaseHolder;
    b.leaseUntil = leaseUntil;
    b.lastRound = lastRound;
    b.incidentCount = incidentCount;
    b.givenUpIncident = givenUpIncident;
    b.recentRecoveries = recentRecoveries;
    b.certificateExpiresAt = certificateExpiresAt;
    return b;
  }

  public String target() {
    return target;
  }

  public TargetStatus status() {
    return status;
  }

  public int consecutiveDown() {
    return consecutiveDown;
  }

  /** When the current outage was first seen; empty while healthy. */
  public Optional<Instant> downSince() {
    return Optional.ofNullable(downSince);
  }

  public Optional<Instant> lastCheckedAt() {
    return Optional.ofNullable(lastCheckedAt);
  }

  public Optional<Instant> lastHealthyAt() {
    return Optional.ofNullable(lastHealthyAt);
  }

  /** One line per probe of the latest round. */
  public String lastProbes() {
    return lastProbes;
  }

  public Optional<Instant> lastRestartAt() {
    return Optional.ofNullable(lastRestartAt);
  }

  /** Restart times within the budget window (the last hour as of the latest restart decision). */
  public List<Instant> recentRestarts() {
    return recentRestarts;
  }

  public Optional<String> leaseHolder() {
    return Optional.ofNullable(leaseHolder);
  }

  public Optional<Instant> leaseUntil() {
    return Optional.ofNullable(leaseUntil);
  }

  /** The id of the latest round that recorded an observation, so a retried transaction is not counted twice. */
  public Optional<String> lastRound() {
    return Optional.ofNullable(lastRound);
  }

  /** How many incidents this target has had; the latest has this number. */
  public long incidentCount() {
    return incidentCount;
  }

  /**
   * The GIVEN_UP incident of the current episode, 0 when none: while the restart budget stays spent,
   * further outages belong to that incident instead of opening new ones.
   */
  public long givenUpIncident() {
    return givenUpIncident;
  }

  /** The times of restarts (among {@link #recentRestarts()}) that brought the target back. */
  public List<Instant> recentRecoveries() {
    return recentRecoveries;
  }

  /** The TLS certificate's expiry as the latest stun-tls probe saw it. */
  public Optional<Instant> certificateExpiresAt() {
    return Optional.ofNullable(certificateExpiresAt);
  }

  public boolean leasedAt(Instant now) {
    return leaseHolder != null && leaseUntil != null && leaseUntil.isAfter(now);
  }

  public static final class Builder {
    private final String target;
    private TargetStatus status = TargetStatus.UNKNOWN;
    private int consecutiveDown;
    private Instant downSince;
    private Instant lastCheckedAt;
    private Instant lastHealthyAt;
    private String lastProbes = "";
    private Instant lastRestartAt;
    private List<Instant> recentRestarts = List.of();
    private String leaseHolder;
    private Instant leaseUntil;
    private String lastRound;
    private long incidentCount;
    private long givenUpIncident;
    private List<Instant> recentRecoveries = List.of();
    private Instant certificateExpiresAt;

    private Builder(String target) {
      this.target = target;
    }

    public Builder status(TargetStatus v) {
      status = v;
      return this;
    }

    public Builder consecutiveDown(int v) {
      consecutiveDown = v;
      return this;
    }

    public Builder downSince(Instant v) {
      downSince = v;
      return this;
    }

    public Builder lastCheckedAt(Instant v) {
      lastCheckedAt = v;
      return this;
    }

    public Builder lastHealthyAt(Instant v) {
      lastHealthyAt = v;
      return this;
    }

    public Builder lastProbes(String v) {
      lastProbes = v;
      return this;
    }

    public Builder lastRestartAt(Instant v) {
      lastRestartAt = v;
      return this;
    }

    public Builder recentRestarts(List<Instant> v) {
      recentRestarts = v;
      return this;
    }

    /** Sets or (with nulls) clears the restart lease. */
    public Builder lease(String holder, Instant until) {
      leaseHolder = holder;
      leaseUntil = until;
      return this;
    }

    public Builder lastRound(String v) {
      lastRound = v;
      return this;
    }

    public Builder incidentCount(long v) {
      incidentCount = v;
      return this;
    }

    public Builder givenUpIncident(long v) {
      givenUpIncident = v;
      return this;
    }

    public Builder recentRecoveries(List<Instant> v) {
      recentRecoveries = v;
      return this;
    }

    public Builder certificateExpiresAt(Instant v) {
      certificateExpiresAt = v;
      return this;
    }

    public TargetState build() {
      return new TargetState(this);
    }
  }
}
