package dev.hotpath.functions;

import com.google.cloud.datastore.DatastoreException;
import dev.hotpath.shared.datastore.DatastoreFailures;
import dev.hotpath.shared.datastore.WriteFailure;
import dev.hotpath.shared.metrics.Unavailable;
import dev.hotpath.shared.validation.InvalidInputException;
import dev.hotpath.shared.validation.UnavailableException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Maps the typed errors of the engines to HTTP answers. Anything unexpected becomes a 500 whose
 * message reveals nothing internal; the details go to the log ({@link FunctionBoundary} logs every
 * 5xx once, with the cause named here).
 */
public final class ErrorMapping {
  /** A 503 because Datastore itself failed or could not be reached, until the budget ran out. */
  public static final String DATASTORE_UNAVAILABLE = Unavailable.DATASTORE_UNAVAILABLE.label();

  /** A 503 because the write found no shard it could commit to (contention) within its budget. */
  public static final String RETRY_BUDGET_EXHAUSTED = Unavailable.RETRY_BUDGET_EXHAUSTED.label();

  /** A 503 because Cloud Tasks would not take an operation's task within the budget. */
  public static final String QUEUE_UNAVAILABLE = Unavailable.QUEUE_UNAVAILABLE.label();

  /** A 500: a failure nobody anticipated; the record holds its stack trace. */
  public static final String INTERNAL = "internal";

  public static ApiException toApi(Throwable thrown) {
    Throwable e = unwrap(thrown);
    if (e instanceof ApiException api) {
      return api;
    }
    if (e instanceof InvalidInputException) {
      return new ApiException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    if (e instanceof UnavailableException u) {
      long seconds = Math.max(1, u.retryAfter().toSeconds());
      return new ApiException(
          HttpStatus.UNAVAILABLE,
          e.getMessage(),
          Map.of("Retry-After", Long.toString(seconds)),
          causeOf(u));
    }
    return new ApiException(
        HttpStatus.INTERNAL, "internal error; see the function's log", Map.of(), INTERNAL);
  }

  /**
   * Why the retry budget ran out, from what the last attempt failed with: Datastore failing or
   * unreachable (a timeout, UNAVAILABLE, an outcome unknown), Cloud Tasks, or otherwise contention
   * (ABORTED, no writable shard).
   */
  static String causeOf(UnavailableException e) {
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof WriteFailure failure) {
        return failure.kind() == WriteFailure.Kind.OUTCOME_UNKNOWN
            ? DATASTORE_UNAVAILABLE
            : RETRY_BUDGET_EXHAUSTED;
      }
      if (c instanceof DatastoreException datastore) {
        return DatastoreFailures.classify(datastore).kind() == WriteFailure.Kind.OUTCOME_UNKNOWN
            ? DATASTORE_UNAVAILABLE
            : RETRY_BUDGET_EXHAUSTED;
      }
      if (c instanceof com.google.api.gax.rpc.ApiException) {
        return QUEUE_UNAVAILABLE;
      }
    }
    return RETRY_BUDGET_EXHAUSTED;
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
