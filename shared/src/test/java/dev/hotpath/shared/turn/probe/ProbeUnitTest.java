package dev.hotpath.shared.turn.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProbeUnitTest {

  @Test
  void rfc5389ScheduleSendsAtTheSpecifiedOffsets() {
    // RFC 5389 §7.2.1: "requests would be sent at times 0 ms, 500 ms, 1500 ms, 3500 ms, 7500 ms,
    // 15500 ms, and 31500 ms ... failed at 39500 ms".
    assertEquals(
        List.of(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L),
        UdpRetransmission.RFC_5389.sendOffsets().stream().map(Duration::toMillis).toList());
    assertEquals(39_500, UdpRetransmission.RFC_5389.giveUpAfter().toMillis());
  }

  @Test
  void aProbeFailsTheRoundOnlyWhenEveryAttemptFails() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Probe flaky = new CountingProbe(calls, 3); // fails twice, then answers
    ProbeResult result =
        new AttemptPolicy(3, Duration.ofMillis(1), Duration.ofMillis(10)).run(flaky);
    assertTrue(result.alive());
    assertEquals(3, result.attempts());

    calls.set(0);
    ProbeResult down = new AttemptPolicy(2, Duration.ofMillis(1), Duration.ofMillis(10)).run(flaky);
    assertFalse(down.alive());
    assertEquals("attempt 2 lost", down.detail());
  }

  @Test
  void httpProbeAcceptsRedirectsAndRejectsServerErrors() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/ok",
        e -> {
          e.sendResponseHeaders(200, -1);
          e.close();
        });
    server.createContext(
        "/moved",
        e -> {
          e.getResponseHeaders().add("Location", "/elsewhere");
          e.sendResponseHeaders(302, -1);
          e.close();
        });
    server.createContext(
        "/broken",
        e -> {
          e.sendResponseHeaders(503, -1);
          e.close();
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      Duration t = Duration.ofSeconds(5);
      assertEquals("GET answered 200", new HttpProbe(URI.create(base + "/ok")).attempt(t).detail());
      assertEquals(
          "GET answered 302", new HttpProbe(URI.create(base + "/moved")).attempt(t).detail());
      ProbeFailure failure =
          org.junit.jupiter.api.Assertions.assertThrows(
              ProbeFailure.class, () -> new HttpProbe(URI.create(base + "/broken")).attempt(t));
      assertTrue(failure.getMessage().endsWith("answered 503"));
    } finally {
      server.stop(0);
    }
  }

  /** A probe whose answer depends only on how often it was asked, to test the attempt policy. */
  private static final class CountingProbe implements Probe {
    private final AtomicInteger calls;
    private final int succeedsOnCall;

    CountingProbe(AtomicInteger calls, int succeedsOnCall) {
      this.calls = calls;
      this.succeedsOnCall = succeedsOnCall;
    }

    @Override
    public ProbeKind kind() {
      return ProbeKind.TCP;
    }

    @Override
    public ProbeAnswer attempt(Duration timeout) throws ProbeFailure {
      int call = calls.incrementAndGet();
      if (call < succeedsOnCall) {
        throw new ProbeFailure("attempt " + call + " lost");
      }
      return ProbeAnswer.of("answered on attempt " + call);
    }
  }
}
