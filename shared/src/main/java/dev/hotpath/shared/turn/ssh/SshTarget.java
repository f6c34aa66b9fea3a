package dev.hotpath.shared.turn.ssh;

import java.util.Objects;

/**
 * Where and how to restart one TURN server: the SSH endpoint, user, pinned host key and command.
 * The configuration reports bad values in its own words first; these checks keep any other caller
 * from building a target that could never connect.
 */
public record SshTarget(
    String host,
    int port,
    String user,
    HostKeyFingerprint hostKeyFingerprint,
    String restartCommand) {
  public static final int DEFAULT_PORT = 22;
  public static final String DEFAULT_RESTART_COMMAND = "sudo systemctl restart coturn";

  public SshTarget {
    requireText(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
    }
    requireText(user, "user");
    Objects.requireNonNull(hostKeyFingerprint, "hostKeyFingerprint");
    requireText(restartCommand, "restartCommand");
  }

  private static void requireText(String value, String name) {
    if (Objects.requireNonNull(value, name).isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
