package dev.hotpath.local.stack;

import dev.hotpath.functions.JsonReply;
import java.nio.ByteBuffer;
import java.nio.channels.WritePendingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The function servers' deadline for a request's line and headers, beside the body deadline of
 * {@link BufferedBodyFilter}. Jetty parses the headers before any filter sees the request, and its
 * idle timeout restarts with every byte, so a client trickling its headers held its connection open
 * forever. A connection whose request has not finished its headers within {@link #DEADLINE} is
 * answered 408 in the JSON error shape and closed.
 *
 * <p>A sweep every {@link #SWEEP} looks at each connection's parser: the first request counts from
 * the connection's opening, a later one from the sweep that first sees it begun; an idle kept-alive
 * connection is left to the idle timeout.
 */
public final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener {
  /** Time for a request's line and headers; clients send them in one write. */
  public static final Duration DEADLINE = Duration.ofSeconds(10);

  /** How often connections are looked at: how late past the deadline one may be closed. */
  public static final Duration SWEEP = Duration.ofMillis(250);

  /** What one connection's current request has shown so far; read and written by the sweep. */
  private static final class Head {
    long requests;
    long sinceNanos;
    boolean arriving;

    Head(long sinceNanos) {
      this.sinceNanos = sinceNanos;
      this.arriving = true; // a new connection owes its first request's headers
    }
  }

  private final Scheduler scheduler;
  private final Map<HttpConnection, Head> connections = new ConcurrentHashMap<>();
  private volatile Scheduler.Task next;

  HeaderDeadline(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      connections.put(http, new Head(System.nanoTime()));
    }
  }

  @Override
  public void onClosed(Connection connection) {
    connections.remove(connection);
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task task = next;
    if (task != null) {
      task.cancel();
    }
  }

  private void schedule() {
    if (isRunning() || isStarting()) {
      next = scheduler.schedule(this::sweep, SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      connections.forEach(
          (connection, head) -> {
            if (overdue(connection, head, now)) {
              connections.remove(connection);
              answer408AndClose(connection.getEndPoint());
            }
          });
    } finally {
      schedule();
    }
  }

  private static boolean overdue(HttpConnection connection, Head head, long now) {
    long requests = connection.getMessagesIn();
    if (!arriving(connection.getParser(), requests)) {
      head.arriving = false;
      return false;
    }
    if (!head.arriving || head.requests != requests) {
      head.arriving = true;
      head.requests = requests;
      head.sinceNanos = now;
      return false;
    }
    return now - head.sinceNanos >= DEADLINE.toNanos();
  }

  /**
   * Whether the parser is within a request's line and headers: past its start, or at the start of a
   * connection's first request.
   */
  private static boolean arriving(HttpParser parser, long requests) {
    return parser.inHeaderState() && (requests == 0 || !parser.isStart());
  }

  /**
   * Nothing else writes to a connection whose request has not been parsed, so the answer goes out
   * on its own, and the connection closes after it.
   */
  private static void answer408AndClose(EndPoint endPoint) {
    byte[] body =
        JsonReply.utf8(
            JsonReply.errorBody(
                408, "the request headers did not arrive within " + DEADLINE.toSeconds() + " s"));
    byte[] head =
        ("HTTP/1.1 408 Request Timeout\r\nContent-Type: "
                + JsonReply.CONTENT_TYPE
                + "\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    try {
      endPoint.write(
          Callback.from(endPoint::close, failed -> endPoint.close()),
          ByteBuffer.wrap(head),
          ByteBuffer.wrap(body));
    } catch (WritePendingException e) {
      endPoint.close(); // the request's headers completed meanwhile and it is being answered
    }
  }
}
