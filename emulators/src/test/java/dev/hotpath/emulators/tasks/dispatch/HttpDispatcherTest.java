package dev.hotpath.emulators.tasks.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.Code;
import dev.hotpath.emulators.http.HttpWire;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's own HTTP/1.1 client against handlers on a raw loopback socket, for what the
 * conformance suite's well-behaved receiver never does: responses framed every legal way, a handler
 * that drops kept-alive connections without saying so, one that trickles its response past the
 * deadline, and header values HTTP cannot carry.
 */
class HttpDispatcherTest {
  private final HttpDispatcher dispatcher = new HttpDispatcher();
  private ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> requestHeads = new CopyOnWriteArrayList<>();

  /**
   * What the handler does with one request on a connection: writes raw bytes, says whether to keep
   * the connection.
   */
  private interface RawReply {
    boolean reply(int requestOnConnection, OutputStream out)
        throws IOException, InterruptedException;
  }

  @AfterEach
  void stop() throws IOException {
    dispatcher.close();
    if (server != null) {
      server.close();
    }
  }

  private URI serve(RawReply reply) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket socket = server.accept();
                  connections.incrementAndGet();
                  Thread connection = new Thread(() -> handle(socket, reply));
                  connection.setDaemon(true);
                  connection.start();
                } catch (IOException closed) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/handler?x=1");
  }

  private void handle(Socket socket, RawReply reply) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      for (int n = 0; ; n++) {
        String requestLine = HttpWire.line(in, true);
        if (requestLine == null) {
          return;
        }
        Map<String, String> headers = HttpWire.headers(in);
        byte[] body = HttpWire.body(in, headers, 1 << 20);
        requestHeads.add(
            requestLine + " " + headers + " " + new String(body, StandardCharsets.UTF_8));
        if (!reply.reply(n, socket.getOutputStream())) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the test decides when connections end
    }
  }

  private static void write(OutputStream out, String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private DispatchOutcome send(URI url, Map<String, String> headers, Duration deadline)
      throws Exception {
    return dispatcher
        .send(
            new DispatchRequest(
                url, "POST", headers, "hi".getBytes(StandardCharsets.UTF_8), deadline))
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void reusesOneConnectionWhateverTheResponseFraming() throws Exception {
    String[] responses = {
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
      "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      "HTTP/1.1 204 No Content\r\n\r\n",
      "HTTP/1.1 503 Unavailable\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n",
    };
    URI url =
        serve(
            (n, out) -> {
              write(out, responses[n]);
              return true;
            });
    assertEquals(200, send(url, Map.of("X-A", "1"), Duration.ofSeconds(20)).httpStatus());
    assertEquals(201, send(url, Map.of(), Duration.ofSeconds(20)).httpStatus());
    assertEquals(204, send(url, Map.of(), Duration.ofSeconds(20)).httpStatus());
    DispatchOutcome unavailable = send(url, Map.of(), Duration.ofSeconds(20));
    assertEquals(503, unavailable.httpStatus());
    assertEquals(Duration.ofSeconds(7), unavailable.retryAfter());
    assertEquals(1, connections.get(), "every attempt went over the one kept-alive connection");
    String first = requestHeads.get(0);
    assertTrue(first.startsWith("POST /handler?x=1 HTTP/1.1 "), first);
    assertTrue(
        first.contains("host=127.0.0.1:" + url.getPort())
            && first.contains("x-a=1")
            && first.contains("content-length=2")
            && first.endsWith(" hi"),
        first);
  }

  @Test
  void resendsOnAFreshConnectionWhenTheHandlerDroppedAnIdleOne() throws Exception {
    // closes every connection after one response without announcing it
    URI url =
        serve(
            (n, out) -> {
              write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
              return false;
            });
    for (int i = 0; i < 3; i++) {
      assertEquals(200, send(url, Map.of(), Duration.ofSeconds(20)).httpStatus());
    }
    assertEquals(3, requestHeads.size(), "each task reached the handler exactly once");
  }

  @Test
  void aResponseTricklingPastTheDeadlineTimesOut() throws Exception {
    URI url =
        serve(
            (n, out) -> {
              for (char c : "HTTP/1.1 200 OK\r\nX-Padding: 0123456789012345\r\n".toCharArray()) {
                write(out, String.valueOf(c));
                // A real slow server: each byte within any per-read timeout, the whole far beyond
                // the deadline.
                Thread.sleep(100);
              }
              return false;
            });
    long start = System.nanoTime();
    DispatchOutcome outcome = send(url, Map.of(), Duration.ofMillis(300));
    assertEquals(0, outcome.httpStatus());
    assertEquals(Code.DEADLINE_EXCEEDED, outcome.failureCode());
    // the whole status line and header take over 4 s to arrive
    assertTrue(
        System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2500),
        "gave up at the deadline, not after the whole response");
  }

  @Test
  void aHeaderValueHttpCannotCarryFailsTheAttemptWithoutSendingIt() throws Exception {
    URI url =
        serve(
            (n, out) -> {
              write(out, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
              return true;
            });
    DispatchOutcome outcome =
        send(url, Map.of("X-Evil", "a\r\nX-Injected: 1"), Duration.ofSeconds(20));
    assertEquals(Code.INVALID_ARGUMENT, outcome.failureCode());
    assertEquals(0, connections.get(), "nothing was sent");
  }
}
