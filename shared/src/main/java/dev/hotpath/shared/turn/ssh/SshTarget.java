package dev.hotpath.shared.turn.ssh;

import java.util.Objects;

/** Where and how to restart one TURN server: the SSH endpoint, user, pinned host key and command. */
public final class SshTarget {
  public static final int DEFAULT_PORT = 22;
  public static final String DEFAULT_RESTART_COMMAND = "sudo systemctl restart coturn";

  private final String host;
  private final int port;
  private final String user;
  private final HostKeyFingerprint hostKeyFingerprint;
  private final String restartCommand;

  private SshTarget(Builder b) {
    this.host = Objects.requireNonNull(b.host, "host");
    this.port = b.port;
    this.user = Objects.requireNonNull(b.user, "user");
    this.hostKeyFingerprint = Objects.requireNonNull(b.hostKeyFingerprint, "hostKeyFingerprint");
    this.restartCommand = b.restartCommand;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  public HostKeyFingerprint hostKeyFingerprint() {
    return hostKeyFingerprint;
  }

  public String restartCommand() {
    return restartCommand;
  }

  public Builder toBuilder() {
    return new Builder().host(host).port(port).user(user).hostKeyFingerprint(hostKeyFingerprint)
        .restartCommand(restartCommand);
  }

  public static final class Builder {
    private String host;
    private int port = DEFAULT_PORT;
    private String user;
    private HostKeyFingerprint hostKeyFingerprint;
    private String restartCommand = DEFAULT_RESTART_COMMAND;

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder hostKeyFingerprint(HostKeyFingerprint fingerprint) {
      this.hostKeyFingerprint = fingerprint;
      return this;
    }

    public Builder restartCommand(String command) {
      this.restartCommand = command;
      return this;
    }

    public SshTarget build() {
      return new SshTarget(this);
    }
  }
}
