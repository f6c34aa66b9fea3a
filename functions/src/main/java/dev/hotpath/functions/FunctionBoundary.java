package dev.hotpath.functions;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.hotpath.functions.logging.RequestLogContext;
import dev.hotpath.shared.metrics.Unavailable;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

/**
 * The edge every request of every function passes: it is answered in the one JSON error shape
 * (typed failures through {@link ErrorMapping}), and it is counted while in flight so that the
 * instance shuts down gracefully. On SIGTERM or SIGINT (Cloud Run sends SIGTERM and kills the
 * instance 10 s later) a shutdown hook stops taking requests — one arriving now is answered 503
 * with {@code Retry-After} and never runs — and waits up to {@link #GRACE} for those in flight to
 * be answered, so a request whose write committed is acknowledged rather than cut off.
 */
public final class FunctionBoundary {
  /** Within Cloud Run's 10 s between SIGTERM and SIGKILL, with room for the JVM to exit. */
  public static final Duration GRACE = Duration.ofSeconds(8);

  private static final Logger LOG = Logger.getLogger(FunctionBoundary.class.getName());
  private static final Object LOCK = new Object();
  private static int inFlight;
  private static boolean draining;

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  drain(GRACE);
                  // After the drain, so the summary holds what the last requests did.
                  FunctionMetrics.flush();
                },
                "function-drain"));
  }

  /**
   * Runs {@code handler} and writes its reply, or the error it failed with; always answers. While
   * it runs, records logged on this thread carry the request's trace ({@link RequestLogContext}),
   * and an answer 5xx is logged once, with its cause.
   */
  public static void serve(HttpRequest request, HttpResponse response, Callable<JsonReply> handler)
      throws IOException {
    RequestLogContext.Scope scope = RequestLogs.contextOf(request).enter();
    try {
      answer(request, response, handler);
    } finally {
      scope.close();
    }
  }

  private static void answer(
      HttpRequest request, HttpResponse response, Callable<JsonReply> handler) throws IOException {
    if (!enter()) {
      ApiException refused = shuttingDown();
      RequestLogs.serverError(request, refused, refused);
      JsonReply.error(refused).writeTo(response);
      return;
    }
    try {
      JsonReply reply;
      try {
        reply = handler.call();
      } catch (Exception e) {
        ApiException answer = ErrorMapping.toApi(e);
        if (answer.status().code() >= 500) {
          RequestLogs.serverError(request, answer, e);
        }
        reply = JsonReply.error(answer);
      }
      reply.writeTo(response);
    } finally {
      exit();
      FunctionMetrics.maybeEmit(); // the request path is where CPU is sure to be allocated
    }
  }

  /** The answer to a request that arrives while the instance shuts down: it runs nothing. */
  public static ApiException shuttingDown() {
    return new ApiException(
        HttpStatus.UNAVAILABLE,
        "this instance is shutting down; retry",
        Map.of("Retry-After", "1"),
        Unavailable.SHUTTING_DOWN.label());
  }

  private static boolean enter() {
    synchronized (LOCK) {
      if (draining) {
        return false;
      }
      inFlight++;
      return true;
    }
  }

  private static void exit() {
    synchronized (LOCK) {
      inFlight--;
      if (inFlight == 0) {
        LOCK.notifyAll();
      }
    }
  }

  /** Refuses new requests from now on; waits up to {@code grace} for the ones in flight. */
  static void drain(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (LOCK) {
      draining = true;
      try {
        for (long left = grace.toNanos();
            inFlight > 0 && left > 0;
            left = deadline - System.nanoTime()) {
          LOCK.wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (inFlight > 0) {
        LOG.warning(
            inFlight
                + " requests still in flight after the "
                + grace.toSeconds()
                + " s shutdown grace period");
      }
    }
  }

  private FunctionBoundary() {}
}
