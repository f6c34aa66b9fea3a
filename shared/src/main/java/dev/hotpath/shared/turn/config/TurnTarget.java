package dev.hotpath.shared.turn.config;

import dev.hotpath.shared.turn.probe.ProbeKind;
import dev.hotpath.shared.turn.ssh.SshTarget;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One server the watchdog guards: where to probe it, with which probes, and how to restart it.
 * TurnConfig reports bad configuration in its own words first; the constructor keeps any other
 * caller from building a target the probes could not use.
 *
 * @param url the URL the {@code http} probe fetches; present when that probe is configured
 * @param auth how {@code turn-relay} authenticates; present when that probe is configured
 * @param tlsPort the TURN-over-TLS port {@code stun-tls} connects to
 * @param tlsServerName the name the TLS certificate must carry; the host when not given (null)
 * @param restartOnCapacity whether a capacity problem (508, 486) may be cured by a restart;
 *     otherwise it is only alerted
 */
public record TurnTarget(
    String name,
    String host,
    int port,
    List<ProbeKind> probes,
    Optional<URI> url,
    SshTarget ssh,
    Optional<TurnAuth> auth,
    int tlsPort,
    String tlsServerName,
    boolean restartOnCapacity) {
  public static final int DEFAULT_PORT = 3478;
  public static final int DEFAULT_TLS_PORT = 5349;
  public static final List<ProbeKind> DEFAULT_PROBES =
      List.of(ProbeKind.STUN_UDP, ProbeKind.STUN_TCP);

  public TurnTarget {
    requireText(name, "name");
    requireText(host, "host");
    requirePort(port, "port");
    probes = List.copyOf(probes);
    if (probes.isEmpty()) {
      throw new IllegalArgumentException("probes must not be empty");
    }
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(ssh, "ssh");
    Objects.requireNonNull(auth, "auth");
    requirePort(tlsPort, "tlsPort");
    tlsServerName = tlsServerName != null ? tlsServerName : host;
    requireText(tlsServerName, "tlsServerName");
  }

  private static void requireText(String value, String name) {
    if (Objects.requireNonNull(value, name).isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  private static void requirePort(int port, String name) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 1 to 65535, got " + port);
    }
  }
}
