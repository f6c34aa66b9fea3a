package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Query;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.functions.WriteApi;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every bad input gets its status, the JSON error shape and a message naming it — and writes nothing. */
class WriteApiValidationTest {
  @RegisterExtension static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  private static FunctionServer server;
  private static HttpJson http;

  @BeforeAll
  static void start() throws Exception {
    server =
        FunctionServer.start(
            WriteApi.class,
            0,
            Map.of(
                "DATASTORE_EMULATOR_HOST", datastore.emulator().host(),
                "GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT,
                "HOTPATH_ALLOWED_KINDS", "Message,HotpathCounter"));
    http = new HttpJson(server.url());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void nothingWasWritten() {
    assertEquals(0, datastore.emulator().stats().entityWrites(), "a refused request writes nothing");
    Datastore client = datastore.client();
    assertTrue(!client.run(Query.newKeyQueryBuilder().build()).hasNext(), "the emulator holds no entity");
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
    expect(http.post(INC, "text/plain", "{}"), 415, "UNSUPPORTED_MEDIA_TYPE", "application/json");
    expect(http.post(INC, null, "{}"), 415, "UNSUPPORTED_MEDIA_TYPE", "(none)");
    expect(http.post(INC, "application/json; charset=iso-8859-1", "{}"), 415, "UNSUPPORTED_MEDIA_TYPE", "utf-8");
    expect(http.post(GROUP, "application/x-www-form-urlencoded", "a=1"), 415, "UNSUPPORTED_MEDIA_TYPE", "application/json");
  }

  @Test
  void malformedBodiesAre400() throws Exception {
    invalid(http.post(INC, "{\"delta\": "), "malformed JSON");
    invalid(http.post(INC, ""), "malformed JSON");
    invalid(http.post(INC, "[1]"), "JSON object");
    invalid(http.post(INC, "{\"delta\": 1, \"delta\": 2}"), "twice");
    invalid(http.post(INC, "{\"delta\": 1} trailing"), "malformed JSON");
    invalid(http.post(INC, "{\"delta\": 1, \"extra\": true}"), "unknown field 'extra'");
    invalid(http.post(GROUP, "{\"properties\": {}, \"kind\": \"x\"}"), "unknown field 'kind'");
    invalid(http.post(GROUP, "{}"), "\"properties\"");
    invalid(http.post(GROUP, "{\"properties\": [1]}"), "\"properties\"");
  }

  @Test
  void badDeltasAre400() throws Exception {
    invalid(http.post(INC, "{\"delta\": 1.5}"), "integer");
    invalid(http.post(INC, "{\"delta\": 1e3}"), "integer");
    invalid(http.post(INC, "{\"delta\": \"1\"}"), "integer");
    invalid(http.post(INC, "{\"delta\": null}"), "integer");
    invalid(http.post(INC, "{\"delta\": 1000000001}"), "from -1000000000 to 1000000000");
    invalid(http.post(INC, "{\"delta\": -99999999999999999999999}"), "from -1000000000 to 1000000000");
  }

  @Test
  void badNamesAre400() throws Exception {
    invalid(http.post("/v1/counters/:increment", "{}"), "must not be empty");
    invalid(http.post("/v1/counters/" + "x".repeat(129) + ":increment", "{}"), "limit is 128");
    invalid(http.post("/v1/counters/__stats__:increment", "{}"), "reserved");
    invalid(http.post("/v1/counters/a%20b:increment", "{}"), "may only contain");
    invalid(http.get("/v1/counters/a%2Fb"), "may only contain");
    invalid(http.post("/v1/groups/%C3%BC/entities/Message", "{\"properties\":{}}"), "may only contain");
    invalid(http.post("/v1/groups/g/entities/Secret", "{\"properties\":{}}"), "HOTPATH_ALLOWED_KINDS");
    invalid(http.post("/v1/groups/g/entities/HotpathCounter", "{\"properties\":{}}"), "reserved for hotpath");
    invalid(http.post("/v1/groups/g/entities/__kind__", "{\"properties\":{}}"), "reserved");
    invalid(http.get("/v1/groups/g/entities/Secret"), "HOTPATH_ALLOWED_KINDS");
  }

  @Test
  void badPropertiesAre400() throws Exception {
    invalid(http.post(GROUP, "{\"properties\": {\"__key__\": 1}}"), "reserved");
    invalid(http.post(GROUP, "{\"properties\": {\"hotpath:created\": 1}}"), "reserved");
    invalid(http.post(GROUP, "{\"properties\": {\"a\": [[1]]}}"), "arrays cannot contain arrays");
    invalid(http.post(GROUP, "{\"properties\": {\"a\": {\"$timestamp\": \"soon\"}}}"), "RFC 3339");
    invalid(http.post(GROUP, "{\"properties\": {\"a\": {\"$nope\": 1}}}"), "unknown explicit form");
  }

  @Test
  void bodiesOverOneMebibyteAre413() throws Exception {
    String big = "{\"properties\": {\"s\": \"" + "x".repeat(1 << 20) + "\"}}";
    expect(http.post(GROUP, big), 413, "PAYLOAD_TOO_LARGE", "1 MiB");
  }

  @Test
  void badListingParametersAre400() throws Exception {
    invalid(http.get(GROUP + "?pageSize=0"), "pageSize");
    invalid(http.get(GROUP + "?pageSize=501"), "pageSize");
    invalid(http.get(GROUP + "?pageSize=ten"), "pageSize");
    invalid(http.get(GROUP + "?pageToken=garbage"), "pageToken");
    invalid(http.get(GROUP + "?limit=3"), "unknown query parameter 'limit'");
    invalid(http.get("/v1/counters/likes?x=1"), "unknown query parameter 'x'");
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405() throws Exception {
    expect(http.get("/v1/nothing"), 404, "NOT_FOUND", "no such route");
    expect(http.get("/"), 404, "NOT_FOUND", "no such route");
    expect(http.get("/v1/counters/likes/extra"), 404, "NOT_FOUND", "no such route");
    HttpJson.Reply delete = http.send("DELETE", "/v1/counters/likes");
    expect(delete, 405, "METHOD_NOT_ALLOWED", "use GET");
    assertEquals("GET", delete.header("Allow"));
    HttpJson.Reply get = http.get(INC);
    expect(get, 405, "METHOD_NOT_ALLOWED", "use POST");
    assertEquals("POST", get.header("Allow"));
    expect(http.send("PUT", GROUP), 405, "METHOD_NOT_ALLOWED", "GET or POST");
  }
}
