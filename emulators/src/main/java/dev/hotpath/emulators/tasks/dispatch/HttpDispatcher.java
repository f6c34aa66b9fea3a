package dev.hotpath.emulators.tasks.dispatch;

import com.google.rpc.Code;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends task attempts over kept-alive HTTP/1.1 connections and reports each one's {@link
 * DispatchOutcome}; never throws.
 *
 * <p>Each attempt runs on a worker thread with blocking I/O, and idle connections are pooled per
 * handler address. This replaced {@code java.net.http.HttpClient}, whose asynchronous pipeline
 * spent more CPU per attempt than the handler it called (selector hand-offs, and on a machine with
 * two cores a new thread per response for its internal {@code CompletableFuture} stages), which
 * kept dispatch below the rate tasks could be created. Workers come from a cached pool, so there
 * are as many as attempts in flight and no more.
 */
public final class HttpDispatcher implements AutoCloseable {
  /** Headers the connection itself sets; a task's own values for them are dropped. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");

  /**
   * Idle connections kept per handler address (most recently used first); more are closed when they
   * come back.
   */
  private static final int MAX_IDLE_PER_ADDRESS = 256;

  private final ExecutorService workers;
  private final Map<String, BlockingDeque<DispatchConnection>> idle = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public HttpDispatcher() {
    AtomicInteger threads = new AtomicInteger();
    workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "cloud-tasks-dispatch-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public CompletableFuture<DispatchOutcome> send(DispatchRequest request) {
    byte[] head;
    try {
      head = head(request);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          DispatchOutcome.noResponse(Code.INVALID_ARGUMENT, e.getMessage()));
    }
    CompletableFuture<DispatchOutcome> outcome = new CompletableFuture<>();
    try {
      workers.execute(
          () -> {
            try {
              outcome.complete(attempt(request, head));
            } catch (
                RuntimeException
                    e) { // e.g. a port out of range: still an outcome, so the queue goes on
              outcome.complete(DispatchOutcome.noResponse(Code.UNAVAILABLE, e.toString()));
            }
          });
    } catch (RejectedExecutionException closing) {
      outcome.complete(
          DispatchOutcome.noResponse(Code.UNAVAILABLE, "the emulator is shutting down"));
    }
    return outcome;
  }

  private DispatchOutcome attempt(DispatchRequest request, byte[] head) {
    long deadline = System.nanoTime() + Math.min(request.deadline().toNanos(), Long.MAX_VALUE / 4);
    String address = address(request.url());
    BlockingDeque<DispatchConnection> pool =
        idle.computeIfAbsent(address, a -> new LinkedBlockingDeque<>(MAX_IDLE_PER_ADDRESS));
    while (true) {
      DispatchConnection pooled = pool.pollFirst();
      DispatchConnection connection = null;
      try {
        connection = pooled != null ? pooled : DispatchConnection.open(request.url(), deadline);
        connection.write(head, request.body());
        DispatchConnection.Response response = connection.read(request.method(), deadline);
        if (response == null) {
          connection.close();
          if (pooled != null) {
            continue; // the handler had closed this idle connection: send again on a fresh one
          }
          return DispatchOutcome.noResponse(
              Code.UNAVAILABLE, "the handler closed the connection without a response");
        }
        release(pool, connection);
        return outcomeOf(response);
      } catch (IOException e) {
        if (connection != null) {
          connection.close();
        }
        if (pooled != null && !(e instanceof SocketTimeoutException)) {
          continue; // a stale idle connection failed the write: send again on a fresh one
        }
        return outcomeOf(e);
      }
    }
  }

  private void release(BlockingDeque<DispatchConnection> pool, DispatchConnection connection) {
    if (!connection.reusable() || closed || !pool.offerFirst(connection)) {
      connection.close();
    } else if (closed && pool.remove(connection)) {
      connection.close(); // the dispatcher closed while this one came back
    }
  }

  /**
   * The request line and headers, ISO-8859-1 encoded; a value no handler could receive is refused.
   */
  private static byte[] head(DispatchRequest request) {
    URI url = request.url();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    StringBuilder head = new StringBuilder(512).append(request.method()).append(' ').append(path);
    if (url.getRawQuery() != null) {
      head.append('?').append(url.getRawQuery());
    }
    head.append(" HTTP/1.1\r\nHost: ").append(url.getHost());
    if (url.getPort() >= 0) {
      head.append(':').append(url.getPort());
    }
    head.append("\r\n");
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      String name = header.getKey();
      if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
        checkHeader(name, header.getValue());
        head.append(name).append(": ").append(header.getValue()).append("\r\n");
      }
    }
    if (request.body().length > 0
        || !(request.method().equals("GET") || request.method().equals("HEAD"))) {
      head.append("Content-Length: ").append(request.body().length).append("\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void checkHeader(String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < ' ' && c != '\t') || c == 127 || c > 255) {
        throw new IllegalArgumentException(
            "header '" + name + "' has a character HTTP cannot carry");
      }
    }
  }

  private static String address(URI url) {
    return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost() + ":" + url.getPort();
  }

  private static DispatchOutcome outcomeOf(DispatchConnection.Response response) {
    int status = response.status();
    Duration retryAfter =
        (status == 429 || status == 503) && response.retryAfter() != null
            ? parseRetryAfter(response.retryAfter())
            : Duration.ZERO;
    return DispatchOutcome.response(status, retryAfter);
  }

  private static DispatchOutcome outcomeOf(IOException error) {
    if (error instanceof SocketTimeoutException) {
      return DispatchOutcome.noResponse(
          Code.DEADLINE_EXCEEDED, "no response within the dispatch deadline");
    }
    if (error instanceof ConnectException) {
      return DispatchOutcome.noResponse(
          Code.UNAVAILABLE, "connection refused: " + error.getMessage());
    }
    return DispatchOutcome.noResponse(Code.UNAVAILABLE, error.toString());
  }

  /**
   * {@code Retry-After} is either delay-seconds or an HTTP date; anything unreadable means none.
   */
  static Duration parseRetryAfter(String value) {
    String trimmed = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until =
            Duration.between(
                ZonedDateTime.now(),
                ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException notDate) {
        return Duration.ZERO;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    workers.shutdownNow();
    idle.values()
        .forEach(
            pool -> {
              for (DispatchConnection c; (c = pool.pollFirst()) != null; ) {
                c.close();
              }
            });
  }
}
