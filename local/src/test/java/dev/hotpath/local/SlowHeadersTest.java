package dev.hotpath.local;

import static dev.hotpath.local.RawHttp.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.local.stack.HeaderDeadline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A slow-header attack on the function server {@code up} runs: clients trickle a request's headers
 * a byte every 200 ms, which keeps Jetty's idle timeout from ever firing. Each is answered 408 in
 * the JSON error shape and cut off once the header deadline has passed, not before — on a new
 * connection, and on a kept-alive one after a request it answered. Real sockets on loopback.
 */
class SlowHeadersTest {
  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  @RegisterExtension
  @Order(2)
  static final WriteApiExtension api = WriteApiExtension.on(datastore, Map.of());

  private static final Duration SLACK = Duration.ofSeconds(5);
  private static final byte[] HEAD =
      ascii(
          "GET /v1/counters/slow HTTP/1.1\r\nHost: localhost\r\nX-Padding: "
              + "a".repeat(200)
              + "\r\n\r\n");

  @Test
  void trickledHeadersAreAnswered408AtTheDeadline() throws Exception {
    int port = URI.create(api.http().base()).getPort();
    ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);
    try (Socket keptAlive = new Socket(InetAddress.getLoopbackAddress(), port)) {
      keptAlive.setSoTimeout((int) SLACK.toMillis());
      keptAlive
          .getOutputStream()
          .write(ascii("GET /v1/counters/fast HTTP/1.1\r\nHost: localhost\r\n\r\n"));
      assertEquals(200, RawHttp.read(keptAlive.getInputStream()).status());

      List<CompletableFuture<Duration>> cutOffs =
          List.of(
              cutOff(() -> new Socket(InetAddress.getLoopbackAddress(), port), trickle),
              cutOff(() -> keptAlive, trickle));
      for (CompletableFuture<Duration> took : cutOffs) {
        Duration after = took.get();
        assertTrue(
            after.compareTo(HeaderDeadline.DEADLINE) >= 0,
            "answered before the deadline: " + after);
      }
    } finally {
      trickle.shutdownNow();
    }
  }

  /**
   * Trickles {@link #HEAD} on {@code connection}, then closes it; completes with how long after it
   * was opened (a new one) or its first byte (a kept-alive one) the server answered 408 and closed
   * it (checked here, on the reading thread).
   */
  private static CompletableFuture<Duration> cutOff(
      Callable<Socket> connection, ScheduledExecutorService trickle) {
    return CompletableFuture.supplyAsync(
        () -> {
          long start = System.nanoTime(); // a new connection's deadline counts from its opening
          try (Socket socket = connection.call()) {
            socket.setSoTimeout(
                (int) HeaderDeadline.DEADLINE.plus(HeaderDeadline.SWEEP).plus(SLACK).toMillis());
            OutputStream out = socket.getOutputStream();
            AtomicInteger sent = new AtomicInteger();
            trickle.scheduleAtFixedRate(
                () -> {
                  try {
                    out.write(HEAD[sent.getAndIncrement()]);
                    out.flush();
                  } catch (IOException | ArrayIndexOutOfBoundsException e) {
                    throw new IllegalStateException(e); // cut off: stop trickling
                  }
                },
                0,
                200,
                TimeUnit.MILLISECONDS);
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            answer.assertJsonError(408);
            assertTrue(answer.headers().contains("connection: close"), answer.headers());
            assertEquals(-1, socket.getInputStream().read(), "the connection is closed");
            assertTrue(sent.get() < HEAD.length, "the whole head arrived: " + sent.get());
            return took;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
