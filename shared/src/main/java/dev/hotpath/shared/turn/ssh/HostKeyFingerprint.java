package dev.hotpath.shared.turn.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.regex.Pattern;
import net.schmizz.sshj.common.Buffer;

/**
 * An OpenSSH SHA-256 host key fingerprint, {@code SHA256:} followed by the unpadded base64 of the
 * SHA-256 of the key blob (what {@code ssh-keygen -lf} prints).
 */
public final class HostKeyFingerprint {
  private static final String PREFIX = "SHA256:";

  /** 32 bytes in unpadded base64 are 43 characters. */
  private static final Pattern FORMAT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

  private final String text;

  private HostKeyFingerprint(String text) {
    this.text = text;
  }

  /** Parses a pinned fingerprint; the message of the exception says what is wrong. */
  public static HostKeyFingerprint parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    if (!FORMAT.matcher(trimmed).matches()) {
      throw new IllegalArgumentException(
          "must look like SHA256:<43 base64 characters> (ssh-keygen -lf -E sha256 prints it)");
    }
    return new HostKeyFingerprint(trimmed);
  }

  /**
   * The fingerprint of a key in the SSH wire encoding (the base64 part of a .pub line, decoded).
   */
  public static HostKeyFingerprint ofBlob(byte[] keyBlob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
      return new HostKeyFingerprint(
          PREFIX + Base64.getEncoder().withoutPadding().encodeToString(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public static HostKeyFingerprint of(PublicKey key) {
    return ofBlob(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostKeyFingerprint
        && MessageDigest.isEqual(
            ((HostKeyFingerprint) o).text.getBytes(StandardCharsets.US_ASCII),
            text.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
