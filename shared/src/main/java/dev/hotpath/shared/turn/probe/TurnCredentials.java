package dev.hotpath.shared.turn.probe;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A TURN long-term credential (RFC 8656 §9.2). {@link #toString()} never shows the password. */
public record TurnCredentials(String username, String password) {

  /**
   * A time-limited credential of the TURN REST API (draft-uberti-behave-turn-rest-00, coturn's
   * {@code use-auth-secret}): username {@code <expiry in Unix seconds>:<user>}, password
   * base64(HMAC-SHA1(secret, username)).
   */
  public static TurnCredentials rest(String sharedSecret, String user, Instant expiry) {
    String username = expiry.getEpochSecond() + ":" + user;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
      return new TurnCredentials(username, Base64.getEncoder().encodeToString(digest));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "TurnCredentials{username=" + username + ", password=<redacted>}";
  }
}
