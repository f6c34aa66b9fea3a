package dev.hotpath.emulators.tasks;

import static dev.hotpath.emulators.tasks.Fixtures.WAIT;
import static dev.hotpath.emulators.tasks.Fixtures.createQueue;
import static dev.hotpath.emulators.tasks.Fixtures.httpTask;
import static dev.hotpath.emulators.tasks.Fixtures.queueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.Task;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotpath.emulators.tasks.oidc.JwksServer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OIDC tokens on dispatch, verified the way a function would: RS256 against the served JWKS, JDK
 * crypto only.
 */
class OidcConformanceTest {
  private static final String ACCOUNT = "invoker@test-project.iam.gserviceaccount.com";

  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks = CloudTasksEmulatorExtension.create();

  @RegisterExtension final TaskReceiver receiver = new TaskReceiver();

  @BeforeEach
  void setUp() throws Exception {
    createQueue(tasks.client(), "secure");
  }

  @Test
  void tokenVerifiesAgainstTheServedJwksWithTheTaskUrlAsDefaultAudience() throws Exception {
    String url = receiver.url("/secure?x=1");
    tasks
        .client()
        .createTask(
            queueName("secure"),
            Task.newBuilder()
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl(url)
                        .setOidcToken(OidcToken.newBuilder().setServiceAccountEmail(ACCOUNT)))
                .build());

    JsonObject claims = verifiedClaims(receiver.next(WAIT).header("Authorization"));
    assertEquals("https://accounts.google.com", claims.get("iss").getAsString());
    assertEquals(url, claims.get("aud").getAsString());
    assertEquals(ACCOUNT, claims.get("email").getAsString());
    assertTrue(claims.get("email_verified").getAsBoolean());
    assertFalse(claims.get("sub").getAsString().isEmpty());
    long now = Instant.now().getEpochSecond();
    assertTrue(claims.get("iat").getAsLong() <= now + 5 && claims.get("exp").getAsLong() > now);
    assertEquals(3600, claims.get("exp").getAsLong() - claims.get("iat").getAsLong());
  }

  @Test
  void explicitAudienceIsUsed() throws Exception {
    tasks
        .client()
        .createTask(
            queueName("secure"),
            Task.newBuilder()
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl(receiver.url("/secure"))
                        .setOidcToken(
                            OidcToken.newBuilder()
                                .setServiceAccountEmail(ACCOUNT)
                                .setAudience("https://my-function")))
                .build());

    assertEquals(
        "https://my-function",
        verifiedClaims(receiver.next(WAIT).header("Authorization")).get("aud").getAsString());
  }

  @Test
  void aTamperedTokenFailsVerification() throws Exception {
    tasks
        .client()
        .createTask(
            queueName("secure"),
            Task.newBuilder()
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl(receiver.url("/secure"))
                        .setOidcToken(OidcToken.newBuilder().setServiceAccountEmail(ACCOUNT)))
                .build());
    String[] parts =
        receiver.next(WAIT).header("Authorization").substring("Bearer ".length()).split("\\.");
    JsonObject claims = decode(parts[1]);
    claims.addProperty("email", "attacker@example.com");
    String forged = parts[0] + "." + b64(claims.toString()) + "." + parts[2];

    assertFalse(signatureValid(forged));
  }

  @Test
  void tasksWithoutOidcCarryNoAuthorization() throws Exception {
    tasks.client().createTask(queueName("secure"), httpTask(receiver.url("/open")).build());
    assertEquals(null, receiver.next(WAIT).header("Authorization"));
  }

  @Test
  void theJwksServerNamesItselfAndAnswersErrorsInTheProjectShape() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = tasks.emulator().jwksUrl().replace(JwksServer.JWKS_PATH, "");
    HttpResponse<String> discovery =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create(base + "/.well-known/openid-configuration"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(
        tasks.emulator().jwksUrl(),
        JsonParser.parseString(discovery.body()).getAsJsonObject().get("jwks_uri").getAsString());

    HttpResponse<String> missing =
        http.send(
            java.net.http.HttpRequest.newBuilder(URI.create(base + "/keys")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());
    JsonObject error =
        JsonParser.parseString(missing.body()).getAsJsonObject().getAsJsonObject("error");
    assertEquals(404, error.get("code").getAsInt());
    assertEquals("NOT_FOUND", error.get("status").getAsString());
    HttpResponse<String> posted =
        http.send(
            java.net.http.HttpRequest.newBuilder(URI.create(tasks.emulator().jwksUrl()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, posted.statusCode());
    assertEquals(
        405,
        JsonParser.parseString(posted.body())
            .getAsJsonObject()
            .getAsJsonObject("error")
            .get("code")
            .getAsInt());
  }

  private JsonObject verifiedClaims(String authorization) throws Exception {
    assertTrue(authorization.startsWith("Bearer "), authorization);
    String jwt = authorization.substring("Bearer ".length());
    assertTrue(signatureValid(jwt), "signature does not verify against the JWKS");
    return decode(jwt.split("\\.")[1]);
  }

  private boolean signatureValid(String jwt) throws Exception {
    String[] parts = jwt.split("\\.");
    JsonObject header = decode(parts[0]);
    assertEquals("RS256", header.get("alg").getAsString());
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(publicKey(header.get("kid").getAsString()));
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    return rsa.verify(Base64.getUrlDecoder().decode(parts[2]));
  }

  private static PublicKey publicKey(String kid) throws Exception {
    HttpResponse<String> jwks =
        HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(URI.create(tasks.emulator().jwksUrl()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, jwks.statusCode());
    for (var element :
        JsonParser.parseString(jwks.body()).getAsJsonObject().getAsJsonArray("keys")) {
      JsonObject key = element.getAsJsonObject();
      if (key.get("kid").getAsString().equals(kid)) {
        BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(key.get("n").getAsString()));
        BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(key.get("e").getAsString()));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
      }
    }
    throw new AssertionError("kid " + kid + " is not in the JWKS " + jwks.body());
  }

  private static JsonObject decode(String part) {
    return JsonParser.parseString(
            new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
