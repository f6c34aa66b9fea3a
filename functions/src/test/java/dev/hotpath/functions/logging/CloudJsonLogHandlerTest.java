package dev.hotpath.functions.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class CloudJsonLogHandlerTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final TraceContext CONTEXT = new TraceContext(TRACE, "00f067aa0ba902b7", true);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private JsonObject published(Optional<String> project, LogRecord record) {
    CloudJsonLogHandler handler =
        new CloudJsonLogHandler(new PrintStream(bytes, true, StandardCharsets.UTF_8), project);
    handler.publish(record);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(1, out.lines().count(), "one line per record: " + out);
    return JsonParser.parseString(out).getAsJsonObject();
  }

  private static LogRecord record(Level level, String message, Object... parameters) {
    LogRecord record = new LogRecord(level, message);
    record.setSourceClassName("dev.hotpath.functions.Example");
    record.setSourceMethodName("run");
    record.setParameters(parameters.length == 0 ? null : parameters);
    return record;
  }

  @Test
  void aRecordOfARequestCarriesItsTraceSpanAndExecutionId() {
    RequestLogContext.Scope scope =
        new RequestLogContext(Optional.of(CONTEXT), Optional.of("exec-1")).enter();
    JsonObject json;
    try {
      json = published(Optional.of("proj"), record(Level.WARNING, "slow {0}", "flush"));
    } finally {
      scope.close();
    }
    assertEquals("WARNING", json.get("severity").getAsString());
    assertEquals("slow flush", json.get("message").getAsString());
    assertEquals(
        "projects/proj/traces/" + TRACE, json.get(CloudJsonLogHandler.TRACE).getAsString());
    assertEquals("00f067aa0ba902b7", json.get(CloudJsonLogHandler.SPAN_ID).getAsString());
    assertTrue(json.get(CloudJsonLogHandler.TRACE_SAMPLED).getAsBoolean());
    assertEquals("exec-1", json.get("execution_id").getAsString());
    JsonObject source = json.getAsJsonObject(CloudJsonLogHandler.SOURCE_LOCATION);
    assertEquals("dev/hotpath/functions/Example.java", source.get("file").getAsString());
    assertEquals("dev.hotpath.functions.Example.run", source.get("function").getAsString());
  }

  @Test
  void noTraceOutsideARequestOrWithoutAProject() {
    assertFalse(
        published(Optional.of("p"), record(Level.INFO, "idle"))
            .has("logging.googleapis.com/trace"));
    bytes.reset();
    RequestLogContext.Scope scope =
        new RequestLogContext(Optional.of(CONTEXT), Optional.empty()).enter();
    try {
      JsonObject json = published(Optional.empty(), record(Level.INFO, "no project"));
      assertFalse(json.has(CloudJsonLogHandler.TRACE), json.toString());
      assertFalse(json.has(CloudJsonLogHandler.SPAN_ID), json.toString());
    } finally {
      scope.close();
    }
    assertTrue(RequestLogContext.current().isEmpty(), "the scope ends with its request");
  }

  @Test
  void aMapParameterIsMergedIntoTheTopLevelWithoutOverwritingTheRecordsFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("cause", "shutting_down");
    fields.put("status", 503);
    fields.put("severity", "DEBUG");
    JsonObject json = published(Optional.empty(), record(Level.SEVERE, "answered {0}", fields));
    assertEquals("shutting_down", json.get("cause").getAsString());
    assertEquals(503, json.get("status").getAsInt());
    assertEquals("ERROR", json.get("severity").getAsString());
    assertEquals("answered {0}", json.get("message").getAsString(), "data, not message text");
  }

  @Test
  void aJsonObjectParameterIsMergedToo() {
    JsonObject fields = new JsonObject();
    JsonObject counts = new JsonObject();
    counts.addProperty("acknowledged", 7);
    fields.add("counters", counts);
    JsonObject json = published(Optional.empty(), record(Level.INFO, "summary", fields));
    assertEquals(7, json.getAsJsonObject("counters").get("acknowledged").getAsInt());
  }

  @Test
  void theStackTraceFollowsTheMessage() {
    LogRecord record = record(Level.SEVERE, "failed");
    record.setThrown(new IllegalStateException("boom \"quoted\"\nline"));
    String message = published(Optional.empty(), record).get("message").getAsString();
    assertTrue(
        message.startsWith("failed\njava.lang.IllegalStateException: boom \"quoted\"\nline"),
        message);
    assertTrue(
        message.contains("at dev.hotpath.functions.logging.CloudJsonLogHandlerTest"), message);
  }

  @Test
  void severitiesAsTheFunctionsFrameworkMapsThem() {
    assertEquals("DEBUG", CloudJsonLogHandler.severity(Level.FINE));
    assertEquals("INFO", CloudJsonLogHandler.severity(Level.INFO));
    assertEquals("WARNING", CloudJsonLogHandler.severity(Level.WARNING));
    assertEquals("ERROR", CloudJsonLogHandler.severity(Level.SEVERE));
  }
}
