package dev.hotpath.shared.turn.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.turn.SystemTests;
import dev.hotpath.testsupport.turn.FreePort;
import dev.hotpath.testsupport.turn.LocalCoturn;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every probe against a real coturn on loopback, and against a port where nothing listens. */
@ExtendWith(SystemTests.class)
class ProbesAgainstCoturnTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final UdpRetransmission FAST = new UdpRetransmission(Duration.ofMillis(100), 7, 4);

  @TempDir Path dir;

  @Test
  void everyTurnProbeSeesARunningCoturn() throws Exception {
    try (LocalCoturn coturn = LocalCoturn.start(dir, false)) {
      int port = coturn.port();
      assertTrue(
          new StunUdpProbe("127.0.0.1", port, FAST)
              .attempt(TIMEOUT)
              .detail()
              .startsWith("mapped /127.0.0.1:"));
      assertTrue(
          new StunTcpProbe("127.0.0.1", port)
              .attempt(TIMEOUT)
              .detail()
              .startsWith("mapped /127.0.0.1:"));
      assertEquals("connected", new TcpProbe("127.0.0.1", port).attempt(TIMEOUT).detail());
      assertEquals(
          "401 challenge from realm hotpath.test",
          new TurnUdpProbe("127.0.0.1", port, FAST).attempt(TIMEOUT).detail());
    }
  }

  @Test
  void udpOnlyCoturnPassesStunUdpAndFailsStunTcp() throws Exception {
    try (LocalCoturn coturn = LocalCoturn.start(dir, true)) {
      assertTrue(
          new StunUdpProbe("127.0.0.1", coturn.port(), FAST)
              .attempt(TIMEOUT)
              .detail()
              .startsWith("mapped"));
      assertThrows(
          ProbeFailure.class, () -> new StunTcpProbe("127.0.0.1", coturn.port()).attempt(TIMEOUT));
    }
  }

  @Test
  void aKilledCoturnFailsEveryProbeWithinItsTimeout() throws Exception {
    try (LocalCoturn coturn = LocalCoturn.start(dir, false)) {
      coturn.kill();
      int port = coturn.port();
      AttemptPolicy policy = new AttemptPolicy(2, Duration.ofMillis(50), Duration.ofMillis(400));
      for (Probe probe :
          new Probe[] {
            new StunUdpProbe("127.0.0.1", port, FAST), new StunTcpProbe("127.0.0.1", port),
            new TcpProbe("127.0.0.1", port), new TurnUdpProbe("127.0.0.1", port, FAST)
          }) {
        ProbeResult result = policy.run(probe);
        assertFalse(result.alive(), probe.kind() + " should fail: " + result.detail());
        assertEquals(2, result.attempts());
      }
    }
  }

  @Test
  void udpProbeGivesUpAtItsTimeoutWhenNothingAnswers() {
    int silentPort = FreePort.tcpAndUdp();
    long start = System.nanoTime();
    assertThrows(
        ProbeFailure.class,
        () ->
            new StunUdpProbe("127.0.0.1", silentPort, UdpRetransmission.RFC_5389)
                .attempt(Duration.ofMillis(700)));
    // RFC 5389's full schedule is 39.5 s; the configured timeout must cut it short.
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos());
  }
}
