package dev.hotpath.emulators.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The small HTTP/1.1 server over a raw socket: framing, keep-alive and malformed input. */
class HttpConnectionServerTest {
  private HttpConnectionServer server;

  @BeforeEach
  void start() throws IOException {
    // echoes method, path and body so each test sees what the server parsed
    server =
        new HttpConnectionServer(
            0,
            "test-http",
            request ->
                HttpResponse.text(
                    200,
                    request.method()
                        + " "
                        + request.path()
                        + " "
                        + new String(request.body(), StandardCharsets.UTF_8)));
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String exchange(String raw) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      return all.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void servesPipelinedRequestsOnOneConnection() throws IOException {
    String responses =
        exchange(
            "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n");
    assertTrue(responses.startsWith("HTTP/1.1 200 OK\r\n"), responses);
    assertTrue(responses.contains("Content-Length: 13\r\n\r\nPOST /a hello"), responses);
    assertTrue(responses.contains("GET /b "), responses);
  }

  @Test
  void decodesChunkedBodiesAndAnswersExpectContinue() throws IOException {
    String response =
        exchange(
            "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
                + "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"), response);
    assertTrue(response.contains("Connection: close"), response);
    assertTrue(response.endsWith("POST /c abcde"), response);
  }

  @Test
  void http10ClosesUnlessKeptAlive() throws IOException {
    String response = exchange("GET /old HTTP/1.0\r\n\r\nGET /never HTTP/1.0\r\n\r\n");
    assertTrue(response.contains("GET /old"), response);
    assertTrue(!response.contains("/never"), "HTTP/1.0 closes after one response: " + response);
  }

  @Test
  void malformedRequestsGetA400AndTheConnectionCloses() throws IOException {
    assertEquals("400", status(exchange("NONSENSE\r\n\r\n")));
    assertEquals("400", status(exchange("POST /x HTTP/1.1\r\nContent-Length: -4\r\n\r\n")));
    assertEquals("400", status(exchange("POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort")));
    assertEquals(
        "400", status(exchange("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")));
    assertEquals("431", status(exchange("GET /x HTTP/1.1\r\nno colon here\r\n\r\n")));
  }

  /**
   * A client trickling its headers, a byte every 100 ms so the idle timeout never fires, is
   * answered 408 in the JSON error shape and cut off once the header deadline has passed, not
   * before; a client sending its request at once on the same server is served meanwhile.
   */
  @Test
  void headersTrickledPastTheDeadlineGetA408AndTheConnectionCloses() throws Exception {
    Duration deadline = Duration.ofSeconds(1);
    HttpConnectionServer strict =
        new HttpConnectionServer(
            0, "test-http-deadline", r -> HttpResponse.text(200, "ok"), null, deadline);
    strict.start();
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), strict.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      byte[] head =
          ("GET /slow HTTP/1.1\r\nHost: h\r\nX-Padding: " + "a".repeat(200) + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      AtomicInteger sent = new AtomicInteger();
      long start = System.nanoTime();
      trickle.scheduleAtFixedRate(
          () -> {
            try {
              out.write(head[sent.getAndIncrement()]);
              out.flush();
            } catch (IOException | ArrayIndexOutOfBoundsException e) {
              throw new IllegalStateException(e); // cut off, as expected: stop trickling
            }
          },
          0,
          100,
          TimeUnit.MILLISECONDS);
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertEquals("408", status(response), response);
      assertTrue(response.contains("\"status\":\"DEADLINE_EXCEEDED\""), response);
      assertTrue(response.contains("Connection: close"), response);
      assertTrue(took.compareTo(deadline) >= 0, "answered before the deadline: " + took);
      assertTrue(took.compareTo(deadline.plusSeconds(5)) < 0, "held past the deadline: " + took);
      assertTrue(sent.get() < head.length, "the whole head arrived: " + sent.get());
    } finally {
      trickle.shutdownNow();
      strict.close();
    }
  }

  private static String status(String response) {
    assertTrue(response.contains("\"error\""), response);
    return response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3);
  }
}
