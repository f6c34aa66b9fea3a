package dev.hotpath.shared.turn.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a probe learned beyond alive or not: the STUN error code the server answered (what the
 * watchdog diagnoses from), the round-trip time of bytes sent through a relay, the expiry of the
 * TLS certificate the server presented, and whether relayed bytes were lost although the server
 * answered every request (a different cure from a server that does not answer at all).
 */
public record ProbeFacts(
    Optional<Integer> stunError,
    Optional<Duration> relayRoundTrip,
    Optional<Instant> certificateExpiry,
    boolean relayedDataLost) {
  public static final ProbeFacts NONE =
      new ProbeFacts(Optional.empty(), Optional.empty(), Optional.empty(), false);

  public static ProbeFacts stunError(int code) {
    return new ProbeFacts(Optional.of(code), Optional.empty(), Optional.empty(), false);
  }

  public static ProbeFacts relayRoundTrip(Duration rtt) {
    return new ProbeFacts(Optional.empty(), Optional.of(rtt), Optional.empty(), false);
  }

  public static ProbeFacts certificateExpiry(Instant notAfter) {
    return new ProbeFacts(Optional.empty(), Optional.empty(), Optional.of(notAfter), false);
  }

  /** The server granted the allocation and permissions, but the relayed bytes never came back. */
  public static ProbeFacts dataLost() {
    return new ProbeFacts(Optional.empty(), Optional.empty(), Optional.empty(), true);
  }
}
