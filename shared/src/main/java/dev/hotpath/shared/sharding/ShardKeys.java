package dev.hotpath.shared.sharding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names shard entities so they scatter over Datastore's key space: a hash prefix, then the owner
 * and index for people reading the data. Sequential names ({@code likes-0}, {@code likes-1}, …)
 * would sit side by side and make one hot key range.
 */
public final class ShardKeys {

  /**
   * The key name of shard {@code index} of {@code owner}, e.g. {@code 3fa9c2d17be04a11:likes:7}.
   */
  public static String name(String owner, int index) {
    return HexFormat.of().formatHex(sha256(owner + "\u0000" + index), 0, 8)
        + ":"
        + owner
        + ":"
        + index;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private ShardKeys() {}
}
