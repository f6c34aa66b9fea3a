package dev.hotpath.shared.validation;

import java.time.Duration;

/**
 * A write could not be completed within its retry budget (contention or a struggling backend). The
 * caller may retry after {@link #retryAfter()}.
 */
public final class UnavailableException extends RuntimeException {
  private final Duration retryAfter;

  public UnavailableException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
