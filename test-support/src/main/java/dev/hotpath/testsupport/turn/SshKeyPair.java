package dev.hotpath.testsupport.turn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** An Ed25519 key pair made by {@code ssh-keygen}, as files and as the texts the config takes. */
public final class SshKeyPair {
  private final Path privateKeyFile;
  private final String publicKeyLine;
  private final String fingerprint;

  private SshKeyPair(Path privateKeyFile, String publicKeyLine, String fingerprint) {
    this.privateKeyFile = privateKeyFile;
    this.publicKeyLine = publicKeyLine;
    this.fingerprint = fingerprint;
  }

  /** Generates {@code dir/name} and {@code dir/name.pub} without a passphrase. */
  public static SshKeyPair generate(Path dir, String name)
      throws IOException, InterruptedException {
    Path keygen =
        SystemBinaries.sshKeygen()
            .orElseThrow(
                () -> new IOException("ssh-keygen not installed: " + SystemBinaries.INSTALL_HINT));
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    LocalProcesses.run(
        List.of(
            keygen.toString(), "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file.toString()),
        Duration.ofSeconds(30));
    Path publicKey = dir.resolve(name + ".pub");
    // "256 SHA256:<base64> comment (ED25519)": OpenSSH's own fingerprint, not one computed by the
    // code under test.
    String listed =
        LocalProcesses.run(
            List.of(keygen.toString(), "-l", "-E", "sha256", "-f", publicKey.toString()),
            Duration.ofSeconds(30));
    return new SshKeyPair(
        file,
        Files.readString(publicKey, StandardCharsets.UTF_8).trim(),
        listed.trim().split(" ")[1]);
  }

  public Path privateKeyFile() {
    return privateKeyFile;
  }

  /** The private key file's text, as {@code TURN_SSH_PRIVATE_KEY} holds it. */
  public String privateKeyText() throws IOException {
    return Files.readString(privateKeyFile, StandardCharsets.UTF_8);
  }

  /** The {@code ssh-ed25519 AAAA… comment} line, for authorized_keys. */
  public String publicKeyLine() {
    return publicKeyLine;
  }

  /** {@code SHA256:<43 base64 characters>}, as {@code ssh-keygen -lf -E sha256} prints it. */
  public String fingerprint() {
    return fingerprint;
  }
}
