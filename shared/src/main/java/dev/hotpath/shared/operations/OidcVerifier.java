package dev.hotpath.shared.operations;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Verifies the OIDC token Cloud Tasks attaches to a task ({@code Authorization: Bearer …}): an
 * RS256 JWT whose key is in the JWKS at {@code jwksUrl} (Google's in production, the Tasks
 * emulator's locally), issued by Google, for {@code audience}, to the expected service account, not
 * expired. Keys are cached; a token with a key id not in the cache refetches the JWKS — at once, so
 * a rotated key (a restarted emulator, Google's rotation) costs no failed deliveries — but at most
 * once per {@value #REFETCH_SECONDS} s, so a flood of tokens with made-up key ids cannot hammer the
 * JWKS.
 *
 * <p>Why not google-auth-library's {@code TokenVerifier} (1.49, on the classpath): it caches the
 * keys of a certificates location for an hour and fails a key id it has not cached ("Could not find
 * PublicKey for provided keyId") instead of refetching, so every task signed by a restarted Tasks
 * emulator's new key would be refused for up to an hour; it also takes ES256 as well as RS256, one
 * issuer spelling, and neither the {@code iat} nor the {@code email}/{@code email_verified} claims.
 * {@code OidcVerifierTest} pins each of the checks above.
 */
public final class OidcVerifier {
  /** Thrown for any token that does not pass; the message says which check failed. */
  public static final class InvalidToken extends Exception {
    InvalidToken(String message) {
      super(message);
    }
  }

  private static final Set<String> ISSUERS =
      Set.of("https://accounts.google.com", "accounts.google.com");
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
  static final int REFETCH_SECONDS = 5;
  private static final Duration REFETCH_AT_MOST_EVERY = Duration.ofSeconds(REFETCH_SECONDS);
  private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

  private final URI jwksUrl;
  private final String audience;
  private final String serviceAccount;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Map<String, PublicKey> keys = Map.of();
  private Instant fetchedAt = Instant.MIN;

  public OidcVerifier(String jwksUrl, String audience, String serviceAccount, Clock clock) {
    this.jwksUrl = URI.create(jwksUrl);
    this.audience = audience;
    this.serviceAccount = serviceAccount;
    this.clock = clock;
  }

  /** Checks the value of an {@code Authorization} header (absent: null). */
  public void verify(String authorization) throws InvalidToken {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      throw new InvalidToken("an OIDC bearer token is required");
    }
    String[] parts = authorization.substring("Bearer ".length()).trim().split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidToken("the bearer token is not a JWT");
    }
    JsonObject header = json(parts[0]);
    JsonObject claims = json(parts[1]);
    if (!"RS256".equals(string(header, "alg"))) {
      throw new InvalidToken("the token must be signed with RS256");
    }
    checkSignature(key(string(header, "kid")), parts);
    Instant now = clock.instant();
    if (!ISSUERS.contains(string(claims, "iss"))) {
      throw new InvalidToken("the token was not issued by Google");
    }
    if (!audience.equals(string(claims, "aud"))) {
      throw new InvalidToken("the token is for another audience");
    }
    if (!serviceAccount.equals(string(claims, "email"))
        || !claims.has("email_verified")
        || !claims.get("email_verified").getAsBoolean()) {
      throw new InvalidToken("the token is not for the configured service account");
    }
    if (Instant.ofEpochSecond(number(claims, "exp")).plus(CLOCK_SKEW).isBefore(now)) {
      throw new InvalidToken("the token has expired");
    }
    if (Instant.ofEpochSecond(number(claims, "iat")).minus(CLOCK_SKEW).isAfter(now)) {
      throw new InvalidToken("the token is issued in the future");
    }
  }

  private static void checkSignature(PublicKey key, String[] parts) throws InvalidToken {
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(key);
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(B64URL.decode(parts[2]))) {
        throw new InvalidToken("the token's signature does not verify");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidToken("the token's signature does not verify");
    }
  }

  private synchronized PublicKey key(String keyId) throws InvalidToken {
    PublicKey key = keys.get(keyId);
    if (key == null && !clock.instant().isBefore(fetchedAt.plus(REFETCH_AT_MOST_EVERY))) {
      keys = fetchKeys();
      fetchedAt = clock.instant();
      key = keys.get(keyId);
    }
    if (key == null) {
      throw new InvalidToken("the token's key id is not in the JWKS");
    }
    return key;
  }

  private Map<String, PublicKey> fetchKeys() throws InvalidToken {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(jwksUrl).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new InvalidToken("the JWKS answered " + response.statusCode());
      }
      Map<String, PublicKey> fetched = new HashMap<>();
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      for (JsonElement e :
          JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("keys")) {
        JsonObject jwk = e.getAsJsonObject();
        if ("RSA".equals(string(jwk, "kty"))) {
          BigInteger n = new BigInteger(1, B64URL.decode(string(jwk, "n")));
          BigInteger exp = new BigInteger(1, B64URL.decode(string(jwk, "e")));
          fetched.put(string(jwk, "kid"), rsa.generatePublic(new RSAPublicKeySpec(n, exp)));
        }
      }
      return Map.copyOf(fetched);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new InvalidToken("the JWKS could not be read: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvalidToken("interrupted while reading the JWKS");
    }
  }

  private static JsonObject json(String part) throws InvalidToken {
    try {
      return JsonParser.parseString(new String(B64URL.decode(part), StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (RuntimeException e) {
      throw new InvalidToken("the bearer token is not a JWT");
    }
  }

  private static String string(JsonObject o, String name) throws InvalidToken {
    JsonElement e = o.get(name);
    if (e == null || !e.isJsonPrimitive()) {
      throw new InvalidToken("the token lacks '" + name + "'");
    }
    return e.getAsString();
  }

  private static long number(JsonObject o, String name) throws InvalidToken {
    try {
      return Long.parseLong(string(o, name));
    } catch (NumberFormatException e) {
      throw new InvalidToken("the token's '" + name + "' is not a number");
    }
  }
}
