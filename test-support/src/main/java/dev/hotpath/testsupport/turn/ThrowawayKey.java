package dev.hotpath.testsupport.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * A fresh RSA private key as PKCS#8 PEM, for a watchdog whose SSH restarts never reach a server
 * (the config needs a readable key; no ssh-keygen needed to make one).
 */
public final class ThrowawayKey {
  private ThrowawayKey() {}

  public static String rsaPem() throws GeneralSecurityException {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
