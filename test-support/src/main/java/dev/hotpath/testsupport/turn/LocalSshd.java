package dev.hotpath.testsupport.turn;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd on 127.0.0.1 in the foreground, with its own host key and a generated client
 * key as the only authorized key. Works as root too (PermitRootLogin prohibit-password).
 */
public final class LocalSshd implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final SshKeyPair hostKey;
  private final SshKeyPair clientKey;

  private LocalSshd(Process process, int port, SshKeyPair hostKey, SshKeyPair clientKey) {
    this.process = process;
    this.port = port;
    this.hostKey = hostKey;
    this.clientKey = clientKey;
  }

  public static LocalSshd start(Path dir) throws IOException, InterruptedException {
    Path sshd =
        SystemBinaries.sshd()
            .orElseThrow(
                () -> new IOException("sshd not installed: " + SystemBinaries.INSTALL_HINT));
    Files.createDirectories(dir);
    SshKeyPair hostKey = SshKeyPair.generate(dir, "host_ed25519");
    SshKeyPair clientKey = SshKeyPair.generate(dir, "client_ed25519");
    Path authorized = dir.resolve("authorized_keys");
    Files.writeString(authorized, clientKey.publicKeyLine() + "\n", StandardCharsets.UTF_8);
    // sshd refuses to start without its privilege-separation directory.
    Files.createDirectories(Path.of("/run/sshd"));
    int port = FreePort.tcpAndUdp();
    Path config = dir.resolve("sshd_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + hostKey.privateKeyFile(),
            "PidFile none",
            "AuthorizedKeysFile " + authorized,
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            // the test directory lives under /tmp, whose modes StrictModes would reject
            "StrictModes no",
            "UsePAM no",
            "LogLevel VERBOSE",
            ""),
        StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(sshd.toString(), "-D", "-e", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sshd.log").toFile())
            .start();
    LocalSshd server = new LocalSshd(process, port, hostKey, clientKey);
    try {
      LocalProcesses.await(
          server::answersBanner,
          READY_TIMEOUT,
          "sshd on port " + port + " (log: " + dir.resolve("sshd.log") + ")");
    } catch (IOException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public int port() {
    return port;
  }

  /** {@code SHA256:…} of the host key, as {@code ssh-keygen -lf -E sha256} prints it. */
  public String hostKeyFingerprint() {
    return hostKey.fingerprint();
  }

  /** The authorized client key's private half. */
  public SshKeyPair clientKey() {
    return clientKey;
  }

  /** The user the test runs as, which sshd will log in. */
  public String user() {
    return System.getProperty("user.name");
  }

  private boolean answersBanner() {
    if (!process.isAlive()) {
      return false;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1000);
      InputStream in = socket.getInputStream();
      byte[] banner = in.readNBytes(4);
      return new String(banner, StandardCharsets.US_ASCII).equals("SSH-");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
