package dev.hotpath.functions;

import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.Unavailable;
import dev.hotpath.shared.validation.InvalidInputException;
import dev.hotpath.shared.validation.UnavailableException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maps the typed errors of the engines to HTTP answers. Anything unexpected becomes a 500 whose
 * message reveals nothing internal; the details go to the log.
 */
public final class ErrorMapping {
  private static final Logger LOG = Logger.getLogger(ErrorMapping.class.getName());

  public static ApiException toApi(Throwable thrown) {
    Throwable e = unwrap(thrown);
    if (e instanceof ApiException api) {
      if (api.status() == HttpStatus.UNAVAILABLE) {
        Metrics.global().unavailable(Unavailable.OTHER);
      }
      return api;
    }
    if (e instanceof InvalidInputException) {
      return new ApiException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    if (e instanceof UnavailableException u) {
      Metrics.global().unavailable(Unavailable.RETRY_BUDGET);
      long seconds = Math.max(1, u.retryAfter().toSeconds());
      return new ApiException(
          HttpStatus.UNAVAILABLE, e.getMessage(), Map.of("Retry-After", Long.toString(seconds)));
    }
    LOG.log(Level.SEVERE, "request failed unexpectedly", e);
    return new ApiException(HttpStatus.INTERNAL, "internal error; see the function's log");
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof ExecutionException || e instanceof CompletionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private ErrorMapping() {}
}
