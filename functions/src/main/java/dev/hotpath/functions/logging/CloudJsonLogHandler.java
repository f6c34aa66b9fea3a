package dev.hotpath.functions.logging;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Writes each log record as one line of JSON in the structured-logging format Cloud Run's agent
 * reads: the fields the Functions Framework's own handler writes (severity, message with the stack
 * trace, {@code logging.googleapis.com/sourceLocation}, {@code execution_id}) plus the request's
 * {@code logging.googleapis.com/trace} and {@code spanId}, so Logs Explorer shows a record under
 * the request that caused it. A record whose only parameter is a {@code Map} or {@code JsonObject}
 * has those fields merged into the top level (e.g. a log-based metric's labels).
 */
public final class CloudJsonLogHandler extends Handler {
  static final String TRACE = "logging.googleapis.com/trace";
  static final String SPAN_ID = "logging.googleapis.com/spanId";
  static final String TRACE_SAMPLED = "logging.googleapis.com/trace_sampled";
  static final String SOURCE_LOCATION = "logging.googleapis.com/sourceLocation";

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final PrintStream out;
  private final Optional<String> projectId;
  private final SimpleFormatter messages = new SimpleFormatter();

  /**
   * @param projectId the project traces belong to; without it no trace is written, since a trace
   *     name in another project's form would link to nothing
   */
  public CloudJsonLogHandler(PrintStream out, Optional<String> projectId) {
    this.out = out;
    this.projectId = projectId;
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    String line;
    try {
      line = GSON.toJson(toJson(record));
    } catch (RuntimeException e) {
      reportError(
          "could not format a log record", e, java.util.logging.ErrorManager.FORMAT_FAILURE);
      return;
    }
    // One println per record: the line is written whole, not interleaved with other threads'.
    out.println(line);
  }

  JsonObject toJson(LogRecord record) {
    JsonObject json = new JsonObject();
    json.addProperty("severity", severity(record.getLevel()));
    json.addProperty("message", message(record));
    if (record.getSourceClassName() != null) {
      JsonObject source = new JsonObject();
      source.addProperty("file", record.getSourceClassName().replace('.', '/') + ".java");
      String method = record.getSourceMethodName();
      source.addProperty(
          "function", record.getSourceClassName() + (method == null ? "" : "." + method));
      json.add(SOURCE_LOCATION, source);
    }
    RequestLogContext.current().ifPresent(context -> addRequest(json, context));
    structuredFields(record).forEach((key, value) -> json.add(key, value));
    return json;
  }

  private void addRequest(JsonObject json, RequestLogContext context) {
    context.executionId().ifPresent(id -> json.addProperty("execution_id", id));
    context
        .trace()
        .ifPresent(
            trace -> {
              if (projectId.isEmpty()) {
                return;
              }
              json.addProperty(TRACE, trace.resourceName(projectId.get()));
              if (!trace.spanId().isEmpty()) {
                json.addProperty(SPAN_ID, trace.spanId());
              }
              json.addProperty(TRACE_SAMPLED, trace.sampled());
            });
  }

  /** The record's structured fields, without those that would overwrite the fields above. */
  private static Map<String, JsonElement> structuredFields(LogRecord record) {
    Object[] parameters = record.getParameters();
    if (parameters == null || parameters.length != 1) {
      return Map.of();
    }
    JsonObject fields;
    if (parameters[0] instanceof JsonObject object) {
      fields = object.deepCopy();
    } else if (parameters[0] instanceof Map<?, ?> map) {
      fields = GSON.toJsonTree(map).getAsJsonObject();
    } else {
      return Map.of();
    }
    for (String reserved :
        new String[] {"severity", "message", "execution_id", SOURCE_LOCATION, TRACE, SPAN_ID}) {
      fields.remove(reserved);
    }
    return fields.asMap();
  }

  private String message(LogRecord record) {
    // A Map or JsonObject parameter is data, not text to substitute into the message.
    String text = structuredFields(record).isEmpty() ? messages.formatMessage(record) : raw(record);
    Throwable thrown = record.getThrown();
    if (thrown == null) {
      return text;
    }
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    return text + "\n" + trace;
  }

  private static String raw(LogRecord record) {
    return record.getMessage() == null ? "" : record.getMessage();
  }

  /** As the Functions Framework maps them: FINE and below DEBUG; SEVERE ERROR. */
  static String severity(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (value >= Level.WARNING.intValue()) {
      return "WARNING";
    }
    if (value >= Level.INFO.intValue()) {
      return "INFO";
    }
    return "DEBUG";
  }

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void close() {
    flush();
  }
}
