package dev.hotpath.shared.operations;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each check of {@link OidcVerifier} against tokens signed with a key published by a loopback JWKS.
 */
class OidcVerifierTest {
  private static final String AUDIENCE = "http://localhost:8082/";
  private static final String ACCOUNT = "tasks@p.iam.gserviceaccount.com";
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private static KeyPair published;
  private static KeyPair stranger;
  private static HttpServer jwks;
  private static OidcVerifier verifier;

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    published = rsa.generateKeyPair();
    stranger = rsa.generateKeyPair();
    jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    jwks.createContext(
        "/jwks",
        exchange -> {
          byte[] body =
              jwksOf((RSAPublicKey) published.getPublic()).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    jwks.start();
    verifier =
        new OidcVerifier(
            "http://localhost:" + jwks.getAddress().getPort() + "/jwks",
            AUDIENCE,
            ACCOUNT,
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  static void stop() {
    jwks.stop(0);
  }

  @Test
  void aTokenOfTheServiceAccountForTheWorkerPasses() {
    assertDoesNotThrow(() -> verifier.verify("Bearer " + token(published, claims -> {})));
  }

  @Test
  void everyFailedCheckIsRefusedWithItsReason() {
    assertRefused(token(stranger, c -> {}), "signature");
    assertRefused(token(published, c -> c.addProperty("aud", "http://elsewhere/")), "audience");
    assertRefused(
        token(published, c -> c.addProperty("email", "someone@else.com")), "service account");
    assertRefused(token(published, c -> c.addProperty("email_verified", false)), "service account");
    assertRefused(
        token(published, c -> c.addProperty("iss", "https://evil.example")), "issued by Google");
    assertRefused(
        token(published, c -> c.addProperty("exp", NOW.minusSeconds(3600).getEpochSecond())),
        "expired");
    assertRefused(
        token(published, c -> c.addProperty("iat", NOW.plusSeconds(3600).getEpochSecond())),
        "future");
    assertRefused("not-a-jwt", "not a JWT");
  }

  @Test
  void aMissingOrNonBearerHeaderIsRefused() {
    assertThrows(OidcVerifier.InvalidToken.class, () -> verifier.verify(null));
    assertThrows(OidcVerifier.InvalidToken.class, () -> verifier.verify("Basic dXNlcjpwYXNz"));
  }

  @Test
  void aRotatedKeyIsFetchedAtOnceButUnknownKeyIdsRefetchAtMostEveryFewSeconds() throws Exception {
    AtomicReference<String> document =
        new AtomicReference<>(jwksOf((RSAPublicKey) published.getPublic(), "k1"));
    AtomicInteger fetches = new AtomicInteger();
    HttpServer rotating =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    rotating.createContext(
        "/jwks",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    rotating.start();
    try {
      AtomicReference<Instant> now = new AtomicReference<>(NOW);
      Clock clock =
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now.get();
            }
          };
      OidcVerifier rotatingVerifier =
          new OidcVerifier(
              "http://localhost:" + rotating.getAddress().getPort() + "/jwks",
              AUDIENCE,
              ACCOUNT,
              clock);
      assertDoesNotThrow(
          () -> rotatingVerifier.verify("Bearer " + token(published, "k1", c -> {})));
      assertEquals(1, fetches.get());

      // The key rotates (say, a Tasks emulator restarted without its data directory).
      document.set(jwksOf((RSAPublicKey) stranger.getPublic(), "k2"));
      now.set(NOW.plusSeconds(OidcVerifier.REFETCH_SECONDS));
      assertDoesNotThrow(() -> rotatingVerifier.verify("Bearer " + token(stranger, "k2", c -> {})));
      assertEquals(
          2, fetches.get(), "the new key id was fetched on first sight, not a minute later");

      // Made-up key ids: refused, and within the bound they fetch nothing.
      for (int i = 0; i < 100; i++) {
        String kid = "forged-" + i;
        OidcVerifier.InvalidToken e =
            assertThrows(
                OidcVerifier.InvalidToken.class,
                () -> rotatingVerifier.verify("Bearer " + token(stranger, kid, c -> {})));
        assertTrue(e.getMessage().contains("key id"), e.getMessage());
      }
      assertEquals(2, fetches.get(), "a flood of unknown key ids fetched nothing more");
      now.set(NOW.plusSeconds(2L * OidcVerifier.REFETCH_SECONDS));
      assertThrows(
          OidcVerifier.InvalidToken.class,
          () -> rotatingVerifier.verify("Bearer " + token(stranger, "forged", c -> {})));
      assertEquals(3, fetches.get(), "one fetch per interval");
    } finally {
      rotating.stop(0);
    }
  }

  private static void assertRefused(String token, String reason) {
    OidcVerifier.InvalidToken e =
        assertThrows(OidcVerifier.InvalidToken.class, () -> verifier.verify("Bearer " + token));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  private static String token(KeyPair keys, Consumer<JsonObject> change) {
    return token(keys, "k1", change);
  }

  private static String token(KeyPair keys, String kid, Consumer<JsonObject> change) {
    JsonObject header = new JsonObject();
    header.addProperty("alg", "RS256");
    header.addProperty("kid", kid);
    JsonObject claims = new JsonObject();
    claims.addProperty("iss", "https://accounts.google.com");
    claims.addProperty("aud", AUDIENCE);
    claims.addProperty("email", ACCOUNT);
    claims.addProperty("email_verified", true);
    claims.addProperty("iat", NOW.minusSeconds(60).getEpochSecond());
    claims.addProperty("exp", NOW.plusSeconds(3600).getEpochSecond());
    change.accept(claims);
    String input = encode(header) + "." + encode(claims);
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(keys.getPrivate());
      rsa.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64.encodeToString(rsa.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(JsonObject json) {
    return B64.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String jwksOf(RSAPublicKey key) {
    return jwksOf(key, "k1");
  }

  private static String jwksOf(RSAPublicKey key, String kid) {
    JsonObject jwk = new JsonObject();
    jwk.addProperty("kty", "RSA");
    jwk.addProperty("kid", kid);
    jwk.addProperty("n", B64.encodeToString(unsigned(key.getModulus())));
    jwk.addProperty("e", B64.encodeToString(unsigned(key.getPublicExponent())));
    JsonArray keys = new JsonArray();
    keys.add(jwk);
    JsonObject doc = new JsonObject();
    doc.add("keys", keys);
    return doc.toString();
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }
}
