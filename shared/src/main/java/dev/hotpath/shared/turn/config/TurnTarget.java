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
  public static final List<ProbeKind> DEFAULT_PROBES = List.of(ProbeKind.STUN_UDP, ProbeKind.STUN_TCP);

  private final String name;
  private final String host;
  private final int port;
  private final List<ProbeKind> probes;
  private final URI url;
  private final SshTarget ssh;

  private TurnTarget(Builder b) {
    this.name = Objects.requireNonNull(b.name, "name");
    this.host = Objects.requireNonNull(b.host, "host");
    this.port = b.port;
    this.probes = List.copyOf(b.probes);
    this.url = b.url;
    this.ssh = Objects.requireNonNull(b.ssh, "ssh");
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

  public Builder toBuilder() {
    return new Builder().name(name).host(host).port(port).probes(probes).url(url).ssh(ssh);
  }

  public static final class Builder {
    private String name;
    private String host;
    private int port = DEFAULT_PORT;
    private List<ProbeKind> probes = DEFAULT_PROBES;
    private URI url;
    private SshTarget ssh;

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
