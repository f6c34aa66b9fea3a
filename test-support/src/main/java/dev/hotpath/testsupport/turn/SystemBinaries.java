package dev.hotpath.testsupport.turn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where the system programs the loopback servers need are, if installed. */
public final class SystemBinaries {
  /** What to install when one is missing (Debian package names). */
  public static final String INSTALL_HINT = "apt-get install coturn openssh-server";

  /** What the browser tests need besides: Debian's Chromium, never a browser npm downloads. */
  public static final String BROWSER_INSTALL_HINT = "apt-get install chromium nodejs npm";

  public static Optional<Path> turnserver() {
    return firstExecutable("/usr/bin/turnserver", "/usr/local/bin/turnserver");
  }

  public static Optional<Path> sshd() {
    return firstExecutable("/usr/sbin/sshd", "/usr/local/sbin/sshd");
  }

  public static Optional<Path> sshKeygen() {
    return firstExecutable("/usr/bin/ssh-keygen", "/usr/local/bin/ssh-keygen");
  }

  public static Optional<Path> chromium() {
    return firstExecutable("/usr/bin/chromium");
  }

  public static Optional<Path> node() {
    return firstExecutable("/usr/bin/node", "/usr/local/bin/node");
  }

  public static Optional<Path> npm() {
    return firstExecutable("/usr/bin/npm", "/usr/local/bin/npm");
  }

  /** The browser programs that are missing, empty when all are there. */
  public static List<String> missingForBrowserTests() {
    return List.of(
            chromium().isEmpty() ? "chromium" : "",
            node().isEmpty() ? "node (nodejs)" : "",
            npm().isEmpty() ? "npm" : "")
        .stream()
        .filter(s -> !s.isEmpty())
        .toList();
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
