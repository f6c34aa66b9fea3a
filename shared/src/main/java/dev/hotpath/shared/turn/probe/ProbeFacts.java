package dev.hotpath.shared.turn.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a probe learned beyond alive or not: the STUN error code the server answered (what the
 * watchdog diagnoses from), the round-trip time of bytes sent through a relay, and the expiry of
 * the TLS certificate the server presented.
 */
public record ProbeFacts(
    Optional<Integer> stunError,
    Optional<Duration> relayRoundTrip,
    Optional<Instant> certificateExpiry) {
  public static final ProbeFacts NONE =
      new ProbeFacts(Optional.empty(), Optional.empty(), Optional.empty());

  public static ProbeFacts stunError(int code) {
    return new ProbeFacts(Optional.of(code), Optional.empty(), Optional.empty());
  }

  public static ProbeFacts relayRoundTrip(Duration rtt) {
    return new ProbeFacts(Optional.empty(), Optional.of(rtt), Optional.empty());
  }

  public static ProbeFacts certificateExpiry(Instant notAfter) {
    return new ProbeFacts(Optional.empty(), Optional.empty(), Optional.of(notAfter));
  }
}
