package dev.hotpath.emulators.tasks.oidc;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.tasks.dispatch.DispatchClock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs the OIDC tokens tasks are dispatched with (RS256, a key pair made at start-up, or kept in
 * the data directory) and publishes the public key as a JWKS, so a function can verify them exactly
 * as it verifies Google's. Tokens live an hour like production's and are reused per (service
 * account, audience) until ten minutes before they expire, because an RSA signature per dispatch
 * would cost more CPU than the dispatch itself.
 */
public final class OidcTokenSigner {
  /** Production's issuer, so verification code needs only a different JWKS URL locally. */
  static final String ISSUER = "https://accounts.google.com";

  private static final Duration LIFETIME = Duration.ofHours(1);
  private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(10);
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Gson GSON = new Gson();

  private final KeyPair keys;
  private final String keyId;
  private final DispatchClock clock;
  private final Map<String, SignedToken> cache = new ConcurrentHashMap<>();

  private record SignedToken(String jwt, Instant expiresAt) {}

  /** A signer with a key pair made now, kept only in memory. */
  public OidcTokenSigner(DispatchClock clock) {
    this(clock, newKeyPair());
  }

  /**
   * A signer with {@code keys} — e.g. kept in the data directory, so tokens verify across restarts.
   */
  public OidcTokenSigner(DispatchClock clock, KeyPair keys) {
    this.clock = clock;
    this.keys = keys;
    try {
      byte[] modulusHash =
          MessageDigest.getInstance("SHA-256").digest(publicKey().getModulus().toByteArray());
      this.keyId = B64URL.encodeToString(modulusHash).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make RSA keys", e);
    }
  }

  /** A token for {@code email} with audience {@code audience}, fresh for at least ten minutes. */
  public String token(String email, String audience) {
    Instant now = clock.now();
    String key = email + '\n' + audience;
    SignedToken cached = cache.get(key);
    if (cached != null && now.isBefore(cached.expiresAt().minus(RENEW_BEFORE_EXPIRY))) {
      return cached.jwt();
    }
    SignedToken fresh = sign(email, audience, now);
    cache.put(key, fresh);
    return fresh.jwt();
  }

  /**
   * The JWKS document: {@code
   * {"keys":[{"kty":"RSA","alg":"RS256","use":"sig","kid":…,"n":…,"e":…}]}}.
   */
  String jwks() {
    JsonObject key = new JsonObject();
    key.addProperty("kty", "RSA");
    key.addProperty("alg", "RS256");
    key.addProperty("use", "sig");
    key.addProperty("kid", keyId);
    key.addProperty("n", unsignedBase64(publicKey().getModulus()));
    key.addProperty("e", unsignedBase64(publicKey().getPublicExponent()));
    JsonArray list = new JsonArray();
    list.add(key);
    JsonObject doc = new JsonObject();
    doc.add("keys", list);
    return GSON.toJson(doc);
  }

  private SignedToken sign(String email, String audience, Instant now) {
    Instant expires = now.plus(LIFETIME);
    JsonObject header = new JsonObject();
    header.addProperty("alg", "RS256");
    header.addProperty("kid", keyId);
    header.addProperty("typ", "JWT");
    JsonObject claims = new JsonObject();
    claims.addProperty("iss", ISSUER);
    claims.addProperty("aud", audience);
    claims.addProperty("azp", subjectOf(email));
    claims.addProperty("sub", subjectOf(email));
    claims.addProperty("email", email);
    claims.addProperty("email_verified", true);
    claims.addProperty("iat", now.getEpochSecond());
    claims.addProperty("exp", expires.getEpochSecond());
    String signingInput = encode(header) + "." + encode(claims);
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(keys.getPrivate());
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return new SignedToken(signingInput + "." + B64URL.encodeToString(rsa.sign()), expires);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an OIDC token", e);
    }
  }

  /**
   * Production's {@code sub} is the service account's numeric unique ID; this is a stable stand-in.
   */
  private static String subjectOf(String email) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8));
      return new BigInteger(1, digest).mod(BigInteger.TEN.pow(21)).toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private RSAPublicKey publicKey() {
    return (RSAPublicKey) keys.getPublic();
  }

  private static String encode(JsonObject json) {
    return B64URL.encodeToString(GSON.toJson(json).getBytes(StandardCharsets.UTF_8));
  }

  /** JWK integers are big-endian without the sign byte BigInteger adds. */
  private static String unsignedBase64(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    byte[] unsigned = new byte[bytes.length - start];
    System.arraycopy(bytes, start, unsigned, 0, unsigned.length);
    return B64URL.encodeToString(unsigned);
  }
}
