package dev.hotpath.emulators.tasks.dispatch;

import com.google.rpc.Code;
import java.time.Duration;

/**
 * How one attempt ended: the handler's HTTP status, or no response at all (timeout, refused
 * connection), plus the {@code Retry-After} a 429 or 503 asked for.
 *
 * @param httpStatus the response status, 0 when no response arrived
 * @param retryAfter the wait the handler asked for, {@link Duration#ZERO} when none
 * @param failureCode why no response arrived (DEADLINE_EXCEEDED, UNAVAILABLE), or null
 * @param failure the same in words, or null
 */
public record DispatchOutcome(
    int httpStatus, Duration retryAfter, Code failureCode, String failure) {

  static DispatchOutcome response(int httpStatus, Duration retryAfter) {
    return new DispatchOutcome(httpStatus, retryAfter, null, null);
  }

  static DispatchOutcome noResponse(Code code, String failure) {
    return new DispatchOutcome(0, Duration.ZERO, code, failure);
  }

  public boolean responded() {
    return httpStatus > 0;
  }

  public boolean succeeded() {
    return httpStatus >= 200 && httpStatus < 300;
  }

  /**
   * Production's {@code X-CloudTasks-TaskExecutionCount} counts responses except 5xx ones (those
   * count as the service failing, not the handler).
   */
  public boolean countsAsExecution() {
    return responded() && httpStatus < 500;
  }

  /** The attempt's {@code response_status} as Get/List show it. */
  public com.google.rpc.Status status() {
    Code code = responded() ? codeOf(httpStatus) : failureCode;
    String message = responded() ? "HTTP " + httpStatus : failure;
    return com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
  }

  private static Code codeOf(int http) {
    if (http >= 200 && http < 300) {
      return Code.OK;
    }
    switch (http) {
      case 400:
        return Code.INVALID_ARGUMENT;
      case 401:
        return Code.UNAUTHENTICATED;
      case 403:
        return Code.PERMISSION_DENIED;
      case 404:
        return Code.NOT_FOUND;
      case 409:
        return Code.ABORTED;
      case 429:
        return Code.RESOURCE_EXHAUSTED;
      case 499:
        return Code.CANCELLED;
      case 501:
        return Code.UNIMPLEMENTED;
      case 503:
        return Code.UNAVAILABLE;
      case 504:
        return Code.DEADLINE_EXCEEDED;
      default:
        return http < 500 ? Code.FAILED_PRECONDITION : Code.INTERNAL;
    }
  }
}
