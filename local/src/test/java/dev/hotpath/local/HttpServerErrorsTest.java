package dev.hotpath.local;

import static dev.hotpath.local.RawHttp.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Errors the function never sees, because Jetty (inside the Functions Framework invoker) answers
 * them itself, come in the same JSON error shape as the function's own.
 */
class HttpServerErrorsTest {
  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  @RegisterExtension
  @Order(2)
  static final WriteApiExtension api = WriteApiExtension.on(datastore, Map.of());

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static RawHttp.Answer send(String request) throws Exception {
    return RawHttp.exchange(URI.create(api.http().base()).getPort(), ascii(request), TIMEOUT);
  }

  @Test
  void aNulInThePathIsAJsonError() throws Exception {
    send("GET /v1/counters/a\0b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .assertJsonError(400);
    // Escaped, it gets past Jetty: the function's own name check refuses it, in the same shape.
    send("GET /v1/counters/a%00b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .assertJsonError(400);
  }

  @Test
  void aBadUriIsAJsonError() throws Exception {
    send("GET /v1/counters/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .assertJsonError(400);
    send("GET /v1/counters/%ED%A0%80 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .assertJsonError(400);
  }

  @Test
  void headersOverJettysLimitAreAJsonError() throws Exception {
    String big = "X-Big: " + "a".repeat(20_000) + "\r\n";
    send("GET /v1/counters/likes HTTP/1.1\r\nHost: localhost\r\n"
            + big
            + "Connection: close\r\n\r\n")
        .assertJsonError(431);
  }

  @Test
  void aMalformedRequestLineOrVersionIsAJsonError() throws Exception {
    send("NOT HTTP AT ALL\r\n\r\n").assertJsonError(400);
    assertEquals(
        "UNIMPLEMENTED",
        send("GET / HTTP/1.7\r\nHost: a\r\nConnection: close\r\n\r\n")
            .assertJsonError(505)
            .get("status")
            .getAsString());
  }

  @Test
  void theInvokersOwnNotFoundPathsAreJsonErrors() throws Exception {
    send("GET /favicon.ico HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .assertJsonError(404);
    send("GET /robots.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .assertJsonError(404);
  }
}
