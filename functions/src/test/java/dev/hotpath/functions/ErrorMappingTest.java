package dev.hotpath.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.datastore.DatastoreException;
import dev.hotpath.shared.datastore.DatastoreFailures;
import dev.hotpath.shared.validation.UnavailableException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The cause each 5xx answer's log record names (a label of log-based metrics). */
class ErrorMappingTest {
  private static ApiException unavailableAfter(Throwable last) {
    return ErrorMapping.toApi(
        new ExecutionException(new UnavailableException("gave up", Duration.ofSeconds(2), last)));
  }

  @Test
  void datastoreUnreachableOrFailing() {
    DatastoreException unreachable =
        new DatastoreException(14, "connection refused", "UNAVAILABLE");
    ApiException answer = unavailableAfter(unreachable);
    assertEquals(503, answer.status().code());
    assertEquals("2", answer.headers().get("Retry-After"));
    assertEquals(ErrorMapping.DATASTORE_UNAVAILABLE, answer.logCause());
    assertEquals(
        ErrorMapping.DATASTORE_UNAVAILABLE,
        unavailableAfter(DatastoreFailures.classify(unreachable)).logCause());
  }

  @Test
  void contentionOrNoWritableShard() {
    DatastoreException contended =
        new DatastoreException(10, "too much contention on these datastore entities", "ABORTED");
    assertEquals(ErrorMapping.RETRY_BUDGET_EXHAUSTED, unavailableAfter(contended).logCause());
    assertEquals(
        ErrorMapping.RETRY_BUDGET_EXHAUSTED,
        unavailableAfter(DatastoreFailures.classify(contended)).logCause());
    assertEquals(ErrorMapping.RETRY_BUDGET_EXHAUSTED, unavailableAfter(null).logCause());
  }

  @Test
  void anythingUnexpectedIsInternal() {
    ApiException answer = ErrorMapping.toApi(new IllegalStateException("secret detail"));
    assertEquals(500, answer.status().code());
    assertEquals(ErrorMapping.INTERNAL, answer.logCause());
    assertEquals("internal error; see the function's log", answer.getMessage());
  }

  @Test
  void shuttingDownSaysSo() {
    assertEquals("shutting_down", FunctionBoundary.shuttingDown().logCause());
  }
}
