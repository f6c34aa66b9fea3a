package dev.hotpath.shared.turn.probe;

import java.util.Arrays;
import java.util.Optional;

/** The probes a target can be checked with, by the names used in {@code TURN_TARGETS}. */
public enum ProbeKind {
  /** A TCP connect to the port: what the original cron job did. */
  TCP("tcp"),
  /** An RFC 5389 Binding request over UDP, retransmitted as §7.2.1 says. */
  STUN_UDP("stun-udp"),
  /** An RFC 5389 Binding request over TCP. */
  STUN_TCP("stun-tcp"),
  /** A TURN Allocate request over UDP; the server's 401 challenge proves it alive. */
  TURN_UDP("turn-udp"),
  /**
   * Allocate with credentials, then bytes through the relay and back (RFC 8656): proves relaying.
   */
  TURN_RELAY("turn-relay"),
  /** As {@link #TURN_RELAY} with the allocations made over TCP (relaying UDP), RFC 8656 §3.1. */
  TURN_RELAY_TCP("turn-relay-tcp"),
  /** A Binding request over TLS to the TURN-over-TLS port, certificate and server name checked. */
  STUN_TLS("stun-tls"),
  /** An HTTP GET expecting 2xx or 3xx, for the other services a TURN host runs. */
  HTTP("http");

  private final String configName;

  ProbeKind(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** The names, as the configuration error lists them. */
  public static String configNames() {
    return String.join(", ", Arrays.stream(values()).map(ProbeKind::configName).toList());
  }

  public static Optional<ProbeKind> byConfigName(String name) {
    return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
  }
}
