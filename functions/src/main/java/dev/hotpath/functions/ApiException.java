package dev.hotpath.functions;

import java.util.Map;

/**
 * An error answer decided at the HTTP edge: its status, a message naming the problem, extra headers
 * (e.g. {@code Allow} for 405, {@code Retry-After} for 503) and, for a 5xx, the {@link #logCause()
 * cause} its log record names.
 */
public final class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final Map<String, String> headers;
  private final String logCause;

  public ApiException(HttpStatus status, String message) {
    this(status, message, Map.of());
  }

  public ApiException(HttpStatus status, String message, Map<String, String> headers) {
    this(status, message, headers, defaultCause(status));
  }

  /**
   * @param logCause why, in a few words of snake_case, e.g. {@code shutting_down}: the {@code
   *     cause} field of the request's 5xx log record, a label of log-based metrics, so one of a
   *     small fixed set
   */
  public ApiException(
      HttpStatus status, String message, Map<String, String> headers, String logCause) {
    super(message);
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.logCause = logCause;
  }

  private static String defaultCause(HttpStatus status) {
    return status == HttpStatus.UNAVAILABLE ? "unavailable" : "internal";
  }

  /** The {@code cause} of the 5xx log record; meaningless for a 4xx, which logs nothing. */
  public String logCause() {
    return logCause;
  }

  public HttpStatus status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
