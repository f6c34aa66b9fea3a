package dev.hotpath.functions;

/**
 * The HTTP statuses the functions answer errors with, each with the status name of the error body.
 */
public enum HttpStatus {
  BAD_REQUEST(400, "INVALID_ARGUMENT"),
  UNAUTHENTICATED(401, "UNAUTHENTICATED"),
  FORBIDDEN(403, "PERMISSION_DENIED"),
  NOT_FOUND(404, "NOT_FOUND"),
  METHOD_NOT_ALLOWED(405, "METHOD_NOT_ALLOWED"),
  REQUEST_TIMEOUT(408, "DEADLINE_EXCEEDED"),
  CONFLICT(409, "ALREADY_EXISTS"),
  PAYLOAD_TOO_LARGE(413, "PAYLOAD_TOO_LARGE"),
  UNSUPPORTED_MEDIA_TYPE(415, "UNSUPPORTED_MEDIA_TYPE"),
  INTERNAL(500, "INTERNAL"),
  UNAVAILABLE(503, "UNAVAILABLE");

  private final int code;
  private final String status;

  HttpStatus(int code, String status) {
    this.code = code;
    this.status = status;
  }

  /**
   * The status name for any HTTP code, e.g. one the HTTP server itself answers with (431 header too
   * large, 414 URI too long, 505 version not supported): the listed one, else INVALID_ARGUMENT for
   * 4xx, UNIMPLEMENTED for 501 and 505, INTERNAL otherwise.
   */
  public static String nameOf(int code) {
    for (HttpStatus status : values()) {
      if (status.code == code) {
        return status.status;
      }
    }
    if (code >= 400 && code < 500) {
      return BAD_REQUEST.status;
    }
    return code == 501 || code == 505 ? "UNIMPLEMENTED" : INTERNAL.status;
  }

  public int code() {
    return code;
  }

  /** The {@code error.status} string, in the style of Google APIs' canonical codes. */
  public String status() {
    return status;
  }
}
