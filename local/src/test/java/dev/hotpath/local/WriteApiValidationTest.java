package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Query;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.functions.RequestBodies;
import dev.hotpath.local.bench.HttpJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every bad input gets its status, the JSON error shape and a message naming it — and writes
 * nothing.
 */
class WriteApiValidationTest {
  /** What the Write API runs with; the emulator enforces the indexes these settings need. */
  private static final Map<String, String> SETTINGS = Map.of("HOTPATH_ALLOWED_KINDS", "Message");

  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(
          b -> b.indexes(CompositeIndexes.ofProject(SETTINGS)));

  @RegisterExtension
  @Order(2)
  static final WriteApiExtension api = WriteApiExtension.on(datastore, SETTINGS);

  @AfterEach
  void nothingWasWritten() {
    datastore
        .ours()
        .ifPresent(
            ours ->
                assertEquals(0, ours.stats().entityWrites(), "a refused request writes nothing"));
    Datastore client = datastore.client();
    assertTrue(
        !client.run(Query.newKeyQueryBuilder().build()).hasNext(), "the emulator holds no entity");
  }

  private static final String INC = "/v1/counters/likes:increment";
  private static final String GROUP = "/v1/groups/g/entities/Message";

  private static void expect(HttpJson.Reply reply, int code, String status, String inMessage) {
    assertEquals(code, reply.status(), reply.body().toString());
    JsonObject error = reply.body().getAsJsonObject("error");
    assertEquals(3, error.size(), "exactly code, status, message: " + error);
    assertEquals(code, error.get("code").getAsInt());
    assertEquals(status, error.get("status").getAsString());
    String message = error.get("message").getAsString();
    assertTrue(message.contains(inMessage), "'" + message + "' should contain '" + inMessage + "'");
    assertTrue(reply.header("Content-Type").startsWith("application/json"));
  }

  private static void invalid(HttpJson.Reply reply, String inMessage) {
    expect(reply, 400, "INVALID_ARGUMENT", inMessage);
  }

  @Test
  void wrongContentTypesAre415() throws Exception {
    expect(
        api.http().post(INC, "text/plain", "{}"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "application/json");
    expect(api.http().post(INC, null, "{}"), 415, "UNSUPPORTED_MEDIA_TYPE", "(none)");
    expect(
        api.http().post(INC, "application/json; charset=iso-8859-1", "{}"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "utf-8");
    expect(
        api.http().post(GROUP, "application/x-www-form-urlencoded", "a=1"),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        "application/json");
  }

  @Test
  void malformedBodiesAre400() throws Exception {
    invalid(api.http().post(INC, "{\"delta\": "), "malformed JSON");
    invalid(api.http().post(INC, ""), "malformed JSON");
    invalid(api.http().post(INC, "[1]"), "JSON object");
    invalid(api.http().post(INC, "{\"delta\": 1, \"delta\": 2}"), "twice");
    invalid(api.http().post(INC, "{\"delta\": 1} trailing"), "malformed JSON");
    invalid(api.http().post(INC, "{'delta': 1}"), "not strict JSON (RFC 8259)");
    invalid(api.http().post(INC, "{\"delta\": 1, \"extra\": true}"), "unknown field 'extra'");
    invalid(
        api.http().post(GROUP, "{\"properties\": {}, \"kind\": \"x\"}"), "unknown field 'kind'");
    invalid(api.http().post(GROUP, "{}"), "\"properties\"");
    invalid(api.http().post(GROUP, "{\"properties\": [1]}"), "\"properties\"");
  }

  @Test
  void badDeltasAre400() throws Exception {
    invalid(api.http().post(INC, "{\"delta\": 1.5}"), "integer");
    invalid(api.http().post(INC, "{\"delta\": 1e3}"), "integer");
    invalid(api.http().post(INC, "{\"delta\": \"1\"}"), "integer");
    invalid(api.http().post(INC, "{\"delta\": null}"), "integer");
    invalid(api.http().post(INC, "{\"delta\": 1000000001}"), "from -1000000000 to 1000000000");
    invalid(
        api.http().post(INC, "{\"delta\": -99999999999999999999999}"),
        "from -1000000000 to 1000000000");
  }

  @Test
  void badNamesAre400() throws Exception {
    invalid(api.http().post("/v1/counters/:increment", "{}"), "must not be empty");
    invalid(
        api.http().post("/v1/counters/" + "x".repeat(129) + ":increment", "{}"), "limit is 128");
    invalid(api.http().post("/v1/counters/__stats__:increment", "{}"), "reserved");
    invalid(api.http().post("/v1/counters/a%20b:increment", "{}"), "may only contain");
    invalid(api.http().get("/v1/counters/a%2Fb"), "may only contain");
    invalid(
        api.http().post("/v1/groups/%C3%BC/entities/Message", "{\"properties\":{}}"),
        "may only contain");
    invalid(
        api.http().post("/v1/groups/g/entities/Secret", "{\"properties\":{}}"),
        "HOTPATH_ALLOWED_KINDS");
    invalid(
        api.http().post("/v1/groups/g/entities/HotpathCounter", "{\"properties\":{}}"),
        "reserved for hotpath");
    invalid(api.http().post("/v1/groups/g/entities/__kind__", "{\"properties\":{}}"), "reserved");
    invalid(api.http().get("/v1/groups/g/entities/Secret"), "HOTPATH_ALLOWED_KINDS");
  }

  @Test
  void badPropertiesAre400() throws Exception {
    invalid(api.http().post(GROUP, "{\"properties\": {\"__key__\": 1}}"), "reserved");
    invalid(api.http().post(GROUP, "{\"properties\": {\"hotpath:created\": 1}}"), "reserved");
    invalid(
        api.http().post(GROUP, "{\"properties\": {\"a\": [[1]]}}"), "arrays cannot contain arrays");
    invalid(
        api.http().post(GROUP, "{\"properties\": {\"a\": {\"$timestamp\": \"soon\"}}}"),
        "RFC 3339");
    invalid(
        api.http().post(GROUP, "{\"properties\": {\"a\": {\"$nope\": 1}}}"),
        "unknown explicit form");
  }

  @Test
  void bodiesOverOneMebibyteAre413() throws Exception {
    String big = "{\"properties\": {\"s\": \"" + "x".repeat(1 << 20) + "\"}}";
    expect(api.http().post(GROUP, big), 413, "PAYLOAD_TOO_LARGE", "1 MiB");
  }

  @Test
  void anAppendDatastoreRefusesWritesNothingNotEvenTheGroupsRecord() throws Exception {
    KnownDifferences.assumeEntitySizeLimit(datastore);
    // The body fits the 1 MiB limit; the entity it makes (key, hotpath:created) is over Datastore's
    // 1,048,572 bytes, so only the commit can refuse it. nothingWasWritten() compares the database
    // after with the empty one before: no entity, no HotpathGroup record, no write at all.
    String body = "{\"properties\":{\"s\":\"" + "x".repeat(RequestBodies.MAX_BYTES - 23) + "\"}}";
    assertEquals(RequestBodies.MAX_BYTES, body.length());
    for (int attempt = 0; attempt < 2; attempt++) {
      HttpJson.Reply reply = api.http().post("/v1/groups/fresh/entities/Message", body);
      invalid(reply, "");
      // Datastore's own words, which differ by backend: ours and production's entity check say
      // "too big", Google's Firestore emulator refuses the property ("longer than 1048487 bytes").
      String message = reply.body().getAsJsonObject("error").get("message").getAsString();
      assertTrue(
          message.contains("too big") || message.contains("longer than 1048487 bytes"), message);
    }
  }

  @Test
  void unpairedSurrogatesAre400AndTheAnswerIsValidUtf8() throws Exception {
    invalid(
        api.http().post(GROUP, "{\"properties\": {\"t\": \"a\\ud800b\"}}"),
        "unpaired surrogate (U+D800)");
    invalid(
        api.http().post(GROUP, "{\"properties\": {\"t\": \"\\udc00\"}}"),
        "unpaired surrogate (U+DC00)");
    invalid(
        api.http().post(GROUP, "{\"properties\": {\"t\": [\"ok\", \"\\ud83d\"]}}"),
        "unpaired surrogate (U+D83D)");
    invalid(
        api.http().post(GROUP, "{\"properties\": {\"\\ud800\": 1}}"),
        "unpaired surrogate (U+D800)");
    invalid(api.http().post(INC, "{\"\\ud800\": 1}"), "unpaired surrogate");
    // The message quotes where it was found: as JSON escapes, so the bytes are valid UTF-8.
    HttpResponse<byte[]> raw =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(api.http().base() + GROUP))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"properties\": {\"\\ud800\": {\"x\": \"\\ud800\"}}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(400, raw.statusCode());
    String text =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(raw.body()))
            .toString();
    assertTrue(text.contains("\\\\ud800"), text);
  }

  @Test
  void badListingParametersAre400() throws Exception {
    invalid(api.http().get(GROUP + "?pageSize=0"), "pageSize");
    invalid(api.http().get(GROUP + "?pageSize=501"), "pageSize");
    invalid(api.http().get(GROUP + "?pageSize=ten"), "pageSize");
    invalid(api.http().get(GROUP + "?pageToken=garbage"), "pageToken");
    invalid(api.http().get(GROUP + "?limit=3"), "unknown query parameter 'limit'");
    invalid(api.http().get("/v1/counters/likes?x=1"), "unknown query parameter 'x'");
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405() throws Exception {
    expect(api.http().get("/v1/nothing"), 404, "NOT_FOUND", "no such route");
    expect(api.http().get("/"), 404, "NOT_FOUND", "no such route");
    expect(api.http().get("/v1/counters/likes/extra"), 404, "NOT_FOUND", "no such route");
    HttpJson.Reply delete = api.http().send("DELETE", "/v1/counters/likes");
    expect(delete, 405, "METHOD_NOT_ALLOWED", "use GET");
    assertEquals("GET", delete.header("Allow"));
    HttpJson.Reply get = api.http().get(INC);
    expect(get, 405, "METHOD_NOT_ALLOWED", "use POST");
    assertEquals("POST", get.header("Allow"));
    expect(api.http().send("PUT", GROUP), 405, "METHOD_NOT_ALLOWED", "GET or POST");
  }
}
