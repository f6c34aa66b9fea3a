package dev.hotpath.shared.turn.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * MESSAGE-INTEGRITY keys (RFC 5389 §15.4). Passwords are taken as already SASLprep-ed: the probes
 * send no credentials, and callers with user-typed passwords must prepare them first.
 */
public final class StunCredentials {

  public static byte[] shortTermKey(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }

  /** MD5(username ":" realm ":" password). */
  public static byte[] longTermKey(String username, String realm, String password) {
    try {
      return MessageDigest.getInstance("MD5")
          .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  private StunCredentials() {}
}
