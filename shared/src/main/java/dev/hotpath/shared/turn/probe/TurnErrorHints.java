package dev.hotpath.shared.turn.probe;

import java.util.Map;
import java.util.Optional;

/**
 * What to check on the server for a STUN/TURN error answer (RFC 8489 §14.8, RFC 8656 §19), named
 * with coturn's options. A server that answers with one of these is running: a restart does not
 * change its answer, so the alert has to say where a person should look instead.
 */
public final class TurnErrorHints {
  private static final Map<Integer, String> HINTS =
      Map.ofEntries(
          Map.entry(
              400, "the server finds the request malformed: compare its version with the prober's"),
          Map.entry(
              401, "the credentials: TURN_REST_SECRET against static-auth-secret, or the user"),
          Map.entry(
              403,
              "the peer policy refuses this peer address: denied-peer-ip, allowed-peer-ip,"
                  + " allow-loopback-peers, no-multicast-peers"),
          Map.entry(420, "an attribute the server does not know: its version and options"),
          Map.entry(
              437,
              "allocations left on every client address tried: stale allocations, or a NAT"
                  + " reusing ports"),
          Map.entry(440, "the relay address family: relay-ip and the address families enabled"),
          Map.entry(441, "the username of the allocation and of its requests differ"),
          Map.entry(442, "UDP relaying is disabled: no-udp-relay, or no relay-ip"),
          Map.entry(443, "a peer address family the relay cannot reach"),
          Map.entry(
              486,
              "too few allocations left: user-quota and total-quota against the calls it carries"),
          Map.entry(
              508,
              "too few relay ports or sockets left: min-port/max-port, total-quota, open files"));

  private TurnErrorHints() {}

  /** What to check for {@code code}; empty for codes with no fixed advice (e.g. 500). */
  public static Optional<String> forCode(int code) {
    return Optional.ofNullable(HINTS.get(code));
  }
}
