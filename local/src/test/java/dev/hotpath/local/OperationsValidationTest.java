package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.local.bench.HttpJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input to POST /v1/operations gets its error in the JSON error shape, and leaves no
 * operation record and no task behind; the worker refuses requests that did not come from the queue
 * with a valid OIDC token.
 */
class OperationsValidationTest {
  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(
          b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  @RegisterExtension
  @Order(2)
  static final OperationsTestStack stack = OperationsTestStack.on(datastore);

  @AfterEach
  void nothingWasRecordedOrEnqueued() throws Exception {
    assertEquals(0, stack.operationRecords(), "operation records after a refused request");
    assertEquals(0, stack.queuedTasks(), "tasks after a refused request");
  }

  private static final String KEY = "{\"path\": [{\"kind\": \"User\", \"name\": \"alice\"}]}";

  static String one(String mutation) {
    return "{\"mutations\": [" + mutation + "]}";
  }

  static Stream<Arguments> badBodies() {
    StringBuilder tooMany = new StringBuilder("{\"mutations\": [");
    for (int i = 0; i < 501; i++) {
      tooMany
          .append(i == 0 ? "" : ",")
          .append("{\"delete\": {\"key\": {\"path\": [{\"kind\": \"User\", \"name\": \"u")
          .append(i)
          .append("\"}]}}}");
    }
    tooMany.append("]}");
    return Stream.of(
        Arguments.of("not JSON", "{\"mutations\": [", "malformed JSON"),
        Arguments.of("no mutations", "{}", "\"mutations\""),
        Arguments.of(
            "unknown top-level field", "{\"mutations\": [], \"x\": 1}", "unknown field 'x'"),
        Arguments.of("empty mutations", "{\"mutations\": []}", "must not be empty"),
        Arguments.of("over 500 mutations", tooMany.toString(), "at most 500"),
        Arguments.of(
            "unknown mutation",
            one("{\"replace\": {\"key\": " + KEY + "}}"),
            "unknown mutation 'replace'"),
        Arguments.of(
            "two kinds in one mutation",
            one("{\"delete\": {\"key\": " + KEY + "}, \"upsert\": {}}"),
            "exactly one"),
        Arguments.of(
            "kind not allow-listed",
            one("{\"delete\": {\"key\": {\"path\": [{\"kind\": \"Secret\", \"name\": \"a\"}]}}}"),
            "allow-list"),
        Arguments.of(
            "internal kind",
            one(
                "{\"delete\": {\"key\": {\"path\": [{\"kind\": \"HotpathOperation\", \"name\": \"a\"}]}}}"),
            "allow-list"),
        Arguments.of(
            "ancestor kind not allow-listed",
            one(
                "{\"delete\": {\"key\": {\"path\": [{\"kind\": \"Org\", \"name\": \"o\"}, {\"kind\": \"User\", \"name\": \"a\"}]}}}"),
            "'Org'"),
        Arguments.of(
            "incomplete key",
            one("{\"insert\": {\"key\": {\"path\": [{\"kind\": \"User\"}]}, \"properties\": {}}}"),
            "path element"),
        Arguments.of(
            "key id as a JSON number",
            one("{\"delete\": {\"key\": {\"path\": [{\"kind\": \"User\", \"id\": 42}]}}}"),
            "key id takes a decimal string"),
        Arguments.of("single quotes", "{'mutations': []}", "not strict JSON (RFC 8259)"),
        Arguments.of("missing key", one("{\"upsert\": {\"properties\": {}}}"), "key is required"),
        Arguments.of(
            "missing properties",
            one("{\"upsert\": {\"key\": " + KEY + "}}"),
            "properties must be an object"),
        Arguments.of(
            "bad property value",
            one("{\"upsert\": {\"key\": " + KEY + ", \"properties\": {\"a\": [[1]]}}}"),
            "arrays cannot contain arrays"),
        Arguments.of(
            "reserved property",
            one("{\"upsert\": {\"key\": " + KEY + ", \"properties\": {\"__x__\": 1}}}"),
            "reserved"),
        Arguments.of(
            "same entity twice",
            "{\"mutations\": [{\"delete\": {\"key\": "
                + KEY
                + "}}, {\"increment\": {\"key\": "
                + KEY
                + ", \"property\": \"n\", \"by\": 1}}]}",
            "more than one mutation"),
        Arguments.of(
            "increment by a decimal",
            one("{\"increment\": {\"key\": " + KEY + ", \"property\": \"n\", \"by\": 1.5}}"),
            "must be an integer"),
        Arguments.of(
            "increment by too much",
            one(
                "{\"increment\": {\"key\": "
                    + KEY
                    + ", \"property\": \"n\", \"by\": 1000000000000}}"),
            "must be from"),
        Arguments.of(
            "increment without property",
            one("{\"increment\": {\"key\": " + KEY + ", \"by\": 1}}"),
            "property must be"),
        Arguments.of(
            "increment of a reserved property",
            one("{\"increment\": {\"key\": " + KEY + ", \"property\": \"$n\", \"by\": 1}}"),
            "reserved"),
        Arguments.of(
            "unknown field in a mutation",
            one("{\"delete\": {\"key\": " + KEY + ", \"properties\": {}}}"),
            "unknown field 'properties'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBadBodyIs400(String what, String body, String message) throws Exception {
    assertError(stack.http.post("/v1/operations", body), 400, "INVALID_ARGUMENT", message);
  }

  @Test
  void aWrongContentTypeIs415() throws Exception {
    assertError(
        stack.http.post(
            "/v1/operations", "text/plain", one("{\"delete\": {\"key\": " + KEY + "}}")),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "application/json");
  }

  @Test
  void aBodyOver1MiBIs413() throws Exception {
    String big =
        one(
            "{\"upsert\": {\"key\": "
                + KEY
                + ", \"properties\": {\"a\": \""
                + "x".repeat(1 << 20)
                + "\"}}}");
    assertError(stack.http.post("/v1/operations", big), 413, "PAYLOAD_TOO_LARGE", "1 MiB");
  }

  @Test
  void aBadIdempotencyKeyIs400() throws Exception {
    HttpJson.Reply reply =
        stack.http.post(
            "/v1/operations",
            "application/json",
            one("{\"delete\": {\"key\": " + KEY + "}}"),
            Map.of("Idempotency-Key", "x".repeat(256)));
    assertError(reply, 400, "INVALID_ARGUMENT", "Idempotency-Key");
  }

  @Test
  void aRepeatedIdempotencyKeyHeaderIs400() throws Exception {
    for (String second : new String[] {"Idempotency-Key", "idempotency-key"}) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(stack.http.base() + "/v1/operations"))
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", "k1")
              .header(second, "k2")
              .POST(
                  HttpRequest.BodyPublishers.ofString(one("{\"delete\": {\"key\": " + KEY + "}}")))
              .build();
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      assertEquals(400, response.statusCode(), response.body());
      JsonObject error =
          com.google.gson.JsonParser.parseString(response.body())
              .getAsJsonObject()
              .getAsJsonObject("error");
      assertEquals("INVALID_ARGUMENT", error.get("status").getAsString());
      assertTrue(error.get("message").getAsString().contains("given 2 times"), error.toString());
    }
  }

  @Test
  void otherMethodsAre405() throws Exception {
    HttpJson.Reply reply = stack.http.send("DELETE", "/v1/operations");
    assertError(reply, 405, "METHOD_NOT_ALLOWED", "use POST");
  }

  @Test
  void theWorkerRefusesRequestsNotFromTheQueue() throws Exception {
    String body = "{\"id\": \"0123456789abcdef0123456789abcdef\"}";
    assertWorker(Map.of(), body, 403, "PERMISSION_DENIED");
    assertWorker(Map.of("X-CloudTasks-QueueName", "other-queue"), body, 403, "PERMISSION_DENIED");
    assertWorker(Map.of("X-CloudTasks-QueueName", "operations"), body, 401, "UNAUTHENTICATED");
    assertWorker(
        Map.of("X-CloudTasks-QueueName", "operations", "Authorization", "Bearer a.b.c"),
        body,
        401,
        "UNAUTHENTICATED");
    // A well-formed token signed by some other key than the emulator's: refused.
    String forged =
        "eyJhbGciOiJSUzI1NiIsImtpZCI6Im5vcGUifQ.eyJpc3MiOiJodHRwczovL2FjY291bnRzLmdvb2dsZS5jb20ifQ.c2ln";
    assertWorker(
        Map.of("X-CloudTasks-QueueName", "operations", "Authorization", "Bearer " + forged),
        body,
        401,
        "UNAUTHENTICATED");
  }

  private static void assertWorker(
      Map<String, String> headers, String body, int status, String errorStatus) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(stack.operations.worker().url() + "/"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, response.statusCode(), response.body());
    JsonObject error =
        com.google.gson.JsonParser.parseString(response.body())
            .getAsJsonObject()
            .getAsJsonObject("error");
    assertEquals(errorStatus, error.get("status").getAsString());
  }

  private static void assertError(
      HttpJson.Reply reply, int status, String errorStatus, String message) {
    assertEquals(status, reply.status(), reply.body().toString());
    JsonObject error = reply.body().getAsJsonObject("error");
    assertEquals(status, error.get("code").getAsInt());
    assertEquals(errorStatus, error.get("status").getAsString());
    assertTrue(
        error.get("message").getAsString().contains(message), error.get("message").getAsString());
  }
}
