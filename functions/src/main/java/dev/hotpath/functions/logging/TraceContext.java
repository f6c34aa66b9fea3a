package dev.hotpath.functions.logging;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trace a request belongs to, from its headers: W3C {@code traceparent} ({@code
 * 00-TRACE_ID-SPAN_ID-FLAGS}), else Google's {@code X-Cloud-Trace-Context} ({@code
 * TRACE_ID/SPAN_ID;o=1}, the span id in decimal). A malformed header counts as absent: a request is
 * never refused over its tracing.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param spanId 16 lowercase hex digits (Cloud Logging's {@code spanId} format), or empty
 * @param sampled whether the caller sampled the trace
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {
  private static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
  private static final Pattern CLOUD_TRACE =
      Pattern.compile("([0-9a-fA-F]{32})(?:/([0-9]{1,20}))?(?:;o=([0-9]+))?");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  /** The trace of a request with these header values (either may be null). */
  public static Optional<TraceContext> fromHeaders(String traceparent, String cloudTraceContext) {
    Optional<TraceContext> w3c = parseTraceparent(traceparent);
    return w3c.isPresent() ? w3c : parseCloudTraceContext(cloudTraceContext);
  }

  static Optional<TraceContext> parseTraceparent(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = TRACEPARENT.matcher(header.trim());
    // Version ff is forbidden; version 00 has exactly four fields; a later version may add more.
    if (!m.matches()
        || m.group(1).equals("ff")
        || (m.group(1).equals("00") && m.group(5) != null)) {
      return Optional.empty();
    }
    if (m.group(2).equals(ZERO_TRACE) || m.group(3).equals(ZERO_SPAN)) {
      return Optional.empty();
    }
    boolean sampled = (Integer.parseInt(m.group(4), 16) & 1) == 1;
    return Optional.of(new TraceContext(m.group(2), m.group(3), sampled));
  }

  static Optional<TraceContext> parseCloudTraceContext(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = CLOUD_TRACE.matcher(header.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    String traceId = m.group(1).toLowerCase(java.util.Locale.ROOT);
    if (traceId.equals(ZERO_TRACE)) {
      return Optional.empty();
    }
    String spanId = "";
    if (m.group(2) != null) {
      try {
        long span = Long.parseUnsignedLong(m.group(2));
        spanId = span == 0 ? "" : String.format("%016x", span);
      } catch (NumberFormatException tooLarge) {
        return Optional.empty(); // more than 64 bits: not a span id
      }
    }
    return Optional.of(new TraceContext(traceId, spanId, "1".equals(m.group(3))));
  }

  /** Cloud Logging's {@code logging.googleapis.com/trace} value in {@code projectId}. */
  public String resourceName(String projectId) {
    return "projects/" + projectId + "/traces/" + traceId;
  }
}
