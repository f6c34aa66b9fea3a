package dev.hotpath.functions;

import com.google.cloud.functions.HttpRequest;
import dev.hotpath.functions.logging.RequestLogContext;
import dev.hotpath.functions.logging.TraceContext;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.Unavailable;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What the function boundary logs about a request, and the log context it serves it under. */
final class RequestLogs {
  private static final Logger LOG = Logger.getLogger(FunctionBoundary.class.getName());

  /** Set by Cloud Functions; the Functions Framework logs it as {@code execution_id}. */
  private static final String EXECUTION_ID_HEADER = "Function-Execution-Id";

  private static final boolean LOG_EXECUTION_ID =
      Boolean.parseBoolean(System.getenv().getOrDefault("LOG_EXECUTION_ID", "false"));

  static RequestLogContext contextOf(HttpRequest request) {
    Optional<TraceContext> trace =
        TraceContext.fromHeaders(
            request.getFirstHeader("traceparent").orElse(null),
            request.getFirstHeader("X-Cloud-Trace-Context").orElse(null));
    return new RequestLogContext(trace, LOG_EXECUTION_ID ? executionId(request) : Optional.empty());
  }

  /** As the Functions Framework does: the platform's id, else a random one of 12 characters. */
  private static Optional<String> executionId(HttpRequest request) {
    Optional<String> given =
        request.getFirstHeader(EXECUTION_ID_HEADER).filter(id -> !id.isBlank());
    if (given.isPresent()) {
      return given;
    }
    byte[] bytes = new byte[9];
    ThreadLocalRandom.current().nextBytes(bytes);
    return Optional.of(Base64.getEncoder().encodeToString(bytes));
  }

  /**
   * The one record of a request answered 5xx: WARNING for 503 (the client should retry), ERROR for
   * 500 (with the stack trace: a bug). Its {@code cause} and {@code status} fields are top-level
   * JSON fields under Cloud Run, for log-based metrics. Method and path only: no query, no body.
   */
  static void serverError(HttpRequest request, ApiException answer, Throwable thrown) {
    int code = answer.status().code();
    boolean internal = code != HttpStatus.UNAVAILABLE.code();
    if (!internal) {
      Metrics.global().unavailable(Unavailable.of(answer.logCause())); // counted where logged
    }
    boolean unexpected = internal && thrown != answer;
    // An unexpected failure's answer says only "see the log"; the record says what happened (the
    // stack trace follows), in the words the 5xx alert's documentation tells operators to find.
    String why = unexpected ? "request failed unexpectedly" : answer.getMessage();
    LogRecord record =
        new LogRecord(
            internal ? Level.SEVERE : Level.WARNING,
            request.getMethod()
                + " "
                + request.getPath()
                + " answered "
                + code
                + " ("
                + answer.logCause()
                + "): "
                + why);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("cause", answer.logCause());
    fields.put("status", code);
    record.setParameters(new Object[] {fields});
    if (unexpected) {
      record.setThrown(thrown);
    }
    record.setLoggerName(LOG.getName());
    record.setSourceClassName(FunctionBoundary.class.getName());
    record.setSourceMethodName("serve");
    LOG.log(record);
  }

  private RequestLogs() {}
}
