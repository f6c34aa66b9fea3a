package dev.hotpath.emulators.tasks;

import com.google.rpc.Code;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Sends task attempts with {@link HttpClient} and reports each one's {@link DispatchOutcome}; never throws. */
final class HttpDispatcher implements AutoCloseable {
  /** Headers {@link HttpClient} sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final ExecutorService executor;
  private final HttpClient client;

  HttpDispatcher() {
    AtomicInteger threads = new AtomicInteger();
    executor = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
      Thread t = new Thread(r, "cloud-tasks-dispatch-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
  }

  CompletableFuture<DispatchOutcome> send(DispatchRequest request) {
    HttpRequest.Builder http;
    try {
      http = HttpRequest.newBuilder(request.url())
          .timeout(request.deadline())
          .method(request.method(), request.body().length == 0
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(request.body()));
      for (Map.Entry<String, String> header : request.headers().entrySet()) {
        if (!RESTRICTED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
          http.header(header.getKey(), header.getValue());
        }
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(DispatchOutcome.noResponse(Code.INVALID_ARGUMENT, e.getMessage()));
    }
    return client.sendAsync(http.build(), HttpResponse.BodyHandlers.discarding())
        .handle((response, error) -> error == null ? outcomeOf(response) : outcomeOf(error));
  }

  private static DispatchOutcome outcomeOf(HttpResponse<Void> response) {
    int status = response.statusCode();
    Duration retryAfter = status == 429 || status == 503
        ? response.headers().firstValue("Retry-After").map(HttpDispatcher::parseRetryAfter).orElse(Duration.ZERO)
        : Duration.ZERO;
    return DispatchOutcome.response(status, retryAfter);
  }

  private static DispatchOutcome outcomeOf(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpTimeoutException) {
      return DispatchOutcome.noResponse(Code.DEADLINE_EXCEEDED, "no response within the dispatch deadline");
    }
    if (cause instanceof ConnectException) {
      return DispatchOutcome.noResponse(Code.UNAVAILABLE, "connection refused: " + cause.getMessage());
    }
    return DispatchOutcome.noResponse(Code.UNAVAILABLE, cause.toString());
  }

  /** {@code Retry-After} is either delay-seconds or an HTTP date; anything unreadable means none. */
  static Duration parseRetryAfter(String value) {
    String trimmed = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException notDate) {
        return Duration.ZERO;
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
