package dev.hotpath.testsupport.turn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where the system programs the loopback servers need are, if installed. */
public final class SystemBinaries {
  /** What to install when one is missing (Debian package names). */
  public static final String INSTALL_HINT = "apt-get install coturn openssh-server";

  public static Optional<Path> turnserver() {
    return firstExecutable("/usr/bin/turnserver", "/usr/local/bin/turnserver");
  }

  public static Optional<Path> sshd() {
    return firstExecutable("/usr/sbin/sshd", "/usr/local/sbin/sshd");
  }

  public static Optional<Path> sshKeygen() {
    return firstExecutable("/usr/bin/ssh-keygen", "/usr/local/bin/ssh-keygen");
  }

  /** The names of the required programs that are missing, empty when all are there. */
  public static List<String> missingForTurnTests() {
    return List.of(
            turnserver().isEmpty() ? "turnserver (coturn)" : "",
            sshd().isEmpty() ? "sshd (openssh-server)" : "",
            sshKeygen().isEmpty() ? "ssh-keygen (openssh-client)" : "")
        .stream()
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static Optional<Path> firstExecutable(String... candidates) {
    for (String candidate : candidates) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  private SystemBinaries() {}
}
