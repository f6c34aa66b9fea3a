package dev.hotpath.functions;

import java.util.Map;

/**
 * An error answer decided at the HTTP edge: its status, a message naming the problem, and extra
 * headers (e.g. {@code Allow} for 405, {@code Retry-After} for 503).
 */
public final class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final Map<String, String> headers;

  public ApiException(HttpStatus status, String message) {
    this(status, message, Map.of());
  }

  public ApiException(HttpStatus status, String message, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  public HttpStatus status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
