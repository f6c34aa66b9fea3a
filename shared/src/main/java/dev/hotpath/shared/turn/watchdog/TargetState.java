package dev.hotpath.shared.turn.watchdog;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the watchdog remembers about one target between rounds (one Datastore entity). Changed
 * through {@link #toBuilder()}, as the restart policy edits a few fields of the state it read.
 *
 * @param downSince when the current outage was first seen; empty while healthy
 * @param lastProbes one line per probe of the latest round
 * @param recentRestarts restart times within the budget window (the last hour as of the latest
 *     restart decision)
 * @param lastRound the id of the latest round that recorded an observation, so a retried
 *     transaction is not counted twice
 * @param incidentCount how many incidents this target has had; the latest has this number
 * @param givenUpIncident the GIVEN_UP incident of the current episode, 0 when none: while the
 *     restart budget stays spent, further outages belong to that incident instead of opening new
 *     ones
 * @param recentRecoveries the times of restarts (among {@code recentRestarts}) that brought the
 *     target back
 * @param certificateExpiresAt the TLS certificate's expiry as the latest stun-tls probe saw it
 */
public record TargetState(
    String target,
    TargetStatus status,
    int consecutiveDown,
    Optional<Instant> downSince,
    Optional<Instant> lastCheckedAt,
    Optional<Instant> lastHealthyAt,
    String lastProbes,
    Optional<Instant> lastRestartAt,
    List<Instant> recentRestarts,
    Optional<String> leaseHolder,
    Optional<Instant> leaseUntil,
    Optional<String> lastRound,
    long incidentCount,
    long givenUpIncident,
    List<Instant> recentRecoveries,
    Optional<Instant> certificateExpiresAt) {

  public TargetState {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(status, "status");
    if (consecutiveDown < 0) {
      throw new IllegalArgumentException(
          "consecutiveDown must not be negative, got " + consecutiveDown);
    }
    Objects.requireNonNull(downSince, "downSince");
    Objects.requireNonNull(lastCheckedAt, "lastCheckedAt");
    Objects.requireNonNull(lastHealthyAt, "lastHealthyAt");
    Objects.requireNonNull(lastProbes, "lastProbes");
    Objects.requireNonNull(lastRestartAt, "lastRestartAt");
    recentRestarts = List.copyOf(recentRestarts);
    Objects.requireNonNull(leaseHolder, "leaseHolder");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    Objects.requireNonNull(lastRound, "lastRound");
    if (incidentCount < 0 || givenUpIncident < 0) {
      throw new IllegalArgumentException(
          "incident numbers must not be negative, got "
              + incidentCount
              + " and "
              + givenUpIncident);
    }
    recentRecoveries = List.copyOf(recentRecoveries);
    Objects.requireNonNull(certificateExpiresAt, "certificateExpiresAt");
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
    b.downSince = downSince.orElse(null);
    b.lastCheckedAt = lastCheckedAt.orElse(null);
    b.lastHealthyAt = lastHealthyAt.orElse(null);
    b.lastProbes = lastProbes;
    b.lastRestartAt = lastRestartAt.orElse(null);
    b.recentRestarts = recentRestarts;
    b.leaseHolder = leaseHolder.orElse(null);
    b.leaseUntil = leaseUntil.orElse(null);
    b.lastRound = lastRound.orElse(null);
    b.incidentCount = incidentCount;
    b.givenUpIncident = givenUpIncident;
    b.recentRecoveries = recentRecoveries;
    b.certificateExpiresAt = certificateExpiresAt.orElse(null);
    return b;
  }

  public boolean leasedAt(Instant now) {
    return leaseHolder.isPresent() && leaseUntil.filter(until -> until.isAfter(now)).isPresent();
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
      return new TargetState(
          target,
          status,
          consecutiveDown,
          Optional.ofNullable(downSince),
          Optional.ofNullable(lastCheckedAt),
          Optional.ofNullable(lastHealthyAt),
          lastProbes,
          Optional.ofNullable(lastRestartAt),
          recentRestarts,
          Optional.ofNullable(leaseHolder),
          Optional.ofNullable(leaseUntil),
          Optional.ofNullable(lastRound),
          incidentCount,
          givenUpIncident,
          recentRecoveries,
          Optional.ofNullable(certificateExpiresAt));
    }
  }
}
