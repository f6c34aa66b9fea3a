package dev.hotpath.shared.turn.loopback;

import dev.hotpath.shared.turn.ssh.HostKeyFingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** An Ed25519 key pair made by {@code ssh-keygen}, as files and as the texts the config takes. */
public final class SshKeyPair {
  private final Path privateKeyFile;
  private final String publicKeyLine;

  private SshKeyPair(Path privateKeyFile, String publicKeyLine) {
    this.privateKeyFile = privateKeyFile;
    this.publicKeyLine = publicKeyLine;
  }

  /** Generates {@code dir/name} and {@code dir/name.pub} without a passphrase. */
  public static SshKeyPair generate(Path dir, String name) throws IOException, InterruptedException {
    Path keygen = SystemBinaries.sshKeygen()
        .orElseThrow(() -> new IOException("ssh-keygen not installed: " + SystemBinaries.INSTALL_HINT));
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    LocalProcesses.run(List.of(keygen.toString(), "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file.toString()),
        Duration.ofSeconds(30));
    return new SshKeyPair(file, Files.readString(dir.resolve(name + ".pub"), StandardCharsets.UTF_8).trim());
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

  public HostKeyFingerprint fingerprint() {
    return HostKeyFingerprint.ofBlob(Base64.getDecoder().decode(publicKeyLine.split(" ")[1]));
  }
}
