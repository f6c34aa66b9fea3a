package dev.hotpath.shared.turn.config;

import dev.hotpath.shared.turn.probe.ProbeKind;
import dev.hotpath.shared.turn.ssh.SshTarget;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One server the watchdog guards: where to probe it, with which probes, and how to restart it. */
public final class TurnTarget {
  public static final int DEFAULT_PORT = 3478;
  public static final int DEFAULT_TLS_PORT = 5349;
  public static final List<ProbeKind> DEFAULT_PROBES = List.of(ProbeKind.STUN_UDP, ProbeKind.STUN_TCP);

  private final String name;
  private final String host;
  private final int port;
  private final List<ProbeKind> probes;
  private final URI url;
  private final SshTarget ssh;
  private final TurnAuth auth;
  private final int tlsPort;
  private final String tlsServerName;
  private final boolean restartOnCapacity;

  private TurnTarget(Builder b) {
    this.name = Objects.requireNonNull(b.name, "name");
    this.host = Objects.requireNonNull(b.host, "host");
    this.port = b.port;
    this.probes = List.copyOf(b.probes);
    this.url = b.url;
    this.ssh = Objects.requireNonNull(b.ssh, "ssh");
    this.auth = b.auth;
    this.tlsPort = b.tlsPort;
    this.tlsServerName = b.tlsServerName;
    this.restartOnCapacity = b.restartOnCapacity;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String name() {
    return name;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public List<ProbeKind> probes() {
    return probes;
  }

  /** The URL the {@code http} probe fetches; present when that probe is configured. */
  public Optional<URI> url() {
    return Optional.ofNullable(url);
  }

  public SshTarget ssh() {
    return ssh;
  }

  /** How {@code turn-relay} authenticates; present when that probe is configured. */
  public Optional<TurnAuth> auth() {
    return Optional.ofNullable(auth);
  }

  /** The TURN-over-TLS port {@code stun-tls} connects to. */
  public int tlsPort() {
    return tlsPort;
  }

  /** The name the TLS certificate must carry: {@code tlsServerName}, else the host. */
  public String tlsServerName() {
    return tlsServerName != null ? tlsServerName : host;
  }

  /** Whether a capacity problem (508, 486) may be cured by a restart; otherwise it is only alerted. */
  public boolean restartOnCapacity() {
    return restartOnCapacity;
  }

  public Builder toBuilder() {
    return new Builder().name(name).host(host).port(port).probes(probes).url(url).ssh(ssh).auth(auth)
        .tlsPort(tlsPort).tlsServerName(tlsServerName).restartOnCapacity(restartOnCapacity);
  }

  public static final class Builder {
    private String name;
    private String host;
    private int port = DEFAULT_PORT;
    private List<ProbeKind> probes = DEFAULT_PROBES;
    private URI url;
    private SshTarget ssh;
    private TurnAuth auth;
    private int tlsPort = DEFAULT_TLS_PORT;
    private String tlsServerName;
    private boolean restartOnCapacity;

    public Builder auth(TurnAuth auth) {
      this.auth = auth;
      return this;
    }

    public Builder tlsPort(int tlsPort) {
      this.tlsPort = tlsPort;
      return this;
    }

    public Builder tlsServerName(String tlsServerName) {
      this.tlsServerName = tlsServerName;
      return this;
    }

    public Builder restartOnCapacity(boolean restartOnCapacity) {
      this.restartOnCapacity = restartOnCapacity;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder probes(List<ProbeKind> probes) {
      this.probes = probes;
      return this;
    }

    public Builder url(URI url) {
      this.url = url;
      return this;
    }

    public Builder ssh(SshTarget ssh) {
      this.ssh = ssh;
      return this;
    }

    public TurnTarget build() {
      return new TurnTarget(this);
    }
  }
}
