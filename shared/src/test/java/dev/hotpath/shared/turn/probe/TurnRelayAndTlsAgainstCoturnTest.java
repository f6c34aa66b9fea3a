package dev.hotpath.shared.turn.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.turn.SystemTests;
import dev.hotpath.testsupport.turn.LocalCoturn;
import dev.hotpath.testsupport.turn.LocalTlsCertificate;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay and TLS probes against a real coturn on loopback with the TURN REST API secret, a
 * generated certificate and a tiny relay port range.
 */
@ExtendWith(SystemTests.class)
class TurnRelayAndTlsAgainstCoturnTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final UdpRetransmission FAST = new UdpRetransmission(Duration.ofMillis(100), 7, 4);
  private static final String SECRET = "test-secret-one";
  private static final String SERVER_NAME = "turn.hotpath.test";

  @TempDir Path dir;

  private static TurnCredentials rest(String secret) {
    return TurnCredentials.rest(secret, "prober", Instant.now().plusSeconds(600));
  }

  @Test
  void restCredentialsMatchTheDraftsExample() {
    // draft-uberti-behave-turn-rest-00 §2.2 style: username "<expiry>:<user>", password
    // base64(HMAC-SHA1).
    TurnCredentials c = TurnCredentials.rest("north", "alice", Instant.ofEpochSecond(1700000000L));
    assertEquals("1700000000:alice", c.username());
    assertEquals(28, c.password().length());
    assertTrue(c.toString().contains("<redacted>") && !c.toString().contains(c.password()));
  }

  @Test
  void bytesGoThroughTheRelayAndBack() throws Exception {
    // coturn 4.6 puts a port back in its pool only a while after Refresh 0: leave the range room.
    try (LocalCoturn coturn =
        LocalCoturn.start(
            dir, LocalCoturn.Options.DEFAULT.withRestSecret(SECRET).withRelayPorts(10))) {
      TurnRelayProbe probe =
          new TurnRelayProbe("127.0.0.1", coturn.port(), FAST, () -> rest(SECRET));
      for (int i = 0; i < 3; i++) {
        ProbeAnswer answer = probe.attempt(TIMEOUT);
        assertTrue(answer.detail().startsWith("relayed via /127.0.0.1:"), answer.detail());
        assertTrue(answer.facts().relayRoundTrip().orElseThrow().compareTo(Duration.ZERO) > 0);
      }
    }
  }

  /** Each transport is its own probe: a server without TCP fails turn-relay-tcp only. */
  @Test
  void allocationsOverTcpRelayAndAreCheckedApartFromUdp() throws Exception {
    LocalCoturn.Options options =
        LocalCoturn.Options.DEFAULT.withRestSecret(SECRET).withRelayPorts(10);
    try (LocalCoturn coturn = LocalCoturn.start(dir.resolve("tcp"), options)) {
      TurnRelayProbe tcp =
          TurnRelayProbe.overTcp("127.0.0.1", coturn.port(), FAST, () -> rest(SECRET));
      assertEquals(ProbeKind.TURN_RELAY_TCP, tcp.kind());
      ProbeAnswer answer = tcp.attempt(TIMEOUT);
      assertTrue(answer.detail().startsWith("relayed via /127.0.0.1:"), answer.detail());
      assertTrue(answer.detail().contains("relay to relay both ways"), answer.detail());
    }
    try (LocalCoturn udpOnly =
        LocalCoturn.start(dir.resolve("udp-only"), options.withArgs("--no-tcp"))) {
      new TurnRelayProbe("127.0.0.1", udpOnly.port(), FAST, () -> rest(SECRET)).attempt(TIMEOUT);
      ProbeFailure refused =
          assertThrows(
              ProbeFailure.class,
              () ->
                  TurnRelayProbe.overTcp("127.0.0.1", udpOnly.port(), FAST, () -> rest(SECRET))
                      .attempt(TIMEOUT));
      assertTrue(refused.facts().stunError().isEmpty(), refused.getMessage());
      assertTrue(refused.getMessage().startsWith("TCP error"), refused.getMessage());
    }
  }

  @Test
  void aWrongSecretIsA401() throws Exception {
    try (LocalCoturn coturn =
        LocalCoturn.start(dir, LocalCoturn.Options.DEFAULT.withRestSecret(SECRET))) {
      ProbeFailure failure =
          assertThrows(
              ProbeFailure.class,
              () ->
                  new TurnRelayProbe("127.0.0.1", coturn.port(), FAST, () -> rest("another-secret"))
                      .attempt(TIMEOUT));
      assertEquals(401, failure.facts().stunError().orElseThrow(), failure.getMessage());
      assertTrue(failure.getMessage().contains("rejected"), failure.getMessage());
    }
  }

  /**
   * What TurnRelayProbe retries from another client address: an allocation already on the 5-tuple.
   */
  @Test
  void aSecondAllocateFromTheSameAddressIs437() throws Exception {
    try (LocalCoturn coturn =
            LocalCoturn.start(
                dir, LocalCoturn.Options.DEFAULT.withRestSecret(SECRET).withRelayPorts(10));
        TurnSession session =
            TurnSession.open(
                new InetSocketAddress("127.0.0.1", coturn.port()), rest(SECRET), FAST)) {
      session.allocate(TIMEOUT);
      ProbeFailure again = assertThrows(ProbeFailure.class, () -> session.allocate(TIMEOUT));
      assertEquals(437, again.facts().stunError().orElseThrow(), again.getMessage());
      session.release(TIMEOUT);
    }
  }

  @Test
  void heldAllocationsExhaustTheRelayPorts() throws Exception {
    try (LocalCoturn coturn =
        LocalCoturn.start(
            dir, LocalCoturn.Options.DEFAULT.withRestSecret(SECRET).withRelayPorts(2))) {
      InetSocketAddress server = new InetSocketAddress("127.0.0.1", coturn.port());
      List<TurnSession> held = new ArrayList<>();
      try {
        ProbeFailure failure = null;
        for (int i = 0; i < 6 && failure == null; i++) {
          TurnSession session = TurnSession.open(server, rest(SECRET), FAST);
          held.add(session);
          try {
            session.allocate(TIMEOUT);
          } catch (ProbeFailure e) {
            failure = e;
          }
        }
        assertTrue(failure != null, "2 relay ports never ran out");
        assertEquals(508, failure.facts().stunError().orElseThrow(), failure.getMessage());
        ProbeFailure probed =
            assertThrows(
                ProbeFailure.class,
                () ->
                    new TurnRelayProbe("127.0.0.1", coturn.port(), FAST, () -> rest(SECRET))
                        .attempt(TIMEOUT));
        assertEquals(508, probed.facts().stunError().orElseThrow(), probed.getMessage());
      } finally {
        held.forEach(TurnSession::close);
      }
    }
  }

  @Test
  void tlsProbeReportsTheCertificatesExpiry() throws Exception {
    LocalTlsCertificate cert = LocalTlsCertificate.generate(dir.resolve("tls"), SERVER_NAME, 1, 3);
    try (LocalCoturn coturn = LocalCoturn.start(dir, LocalCoturn.Options.DEFAULT.withTls(cert))) {
      ProbeAnswer answer =
          new StunTlsProbe("127.0.0.1", coturn.tlsPort(), SERVER_NAME, TlsTrust.pem(cert.caPem()))
              .attempt(TIMEOUT);
      Instant expiry = answer.facts().certificateExpiry().orElseThrow();
      Duration left = Duration.between(Instant.now(), expiry);
      assertTrue(
          left.compareTo(Duration.ofDays(1)) > 0 && left.compareTo(Duration.ofDays(2)) <= 0,
          left.toString());
      assertTrue(answer.detail().startsWith("mapped /127.0.0.1:"), answer.detail());

      ProbeFailure wrongName =
          assertThrows(
              ProbeFailure.class,
              () ->
                  new StunTlsProbe(
                          "127.0.0.1",
                          coturn.tlsPort(),
                          "other.hotpath.test",
                          TlsTrust.pem(cert.caPem()))
                      .attempt(TIMEOUT));
      assertTrue(wrongName.getMessage().startsWith("TLS handshake failed"), wrongName.getMessage());
      ProbeFailure untrusted =
          assertThrows(
              ProbeFailure.class,
              () ->
                  new StunTlsProbe("127.0.0.1", coturn.tlsPort(), SERVER_NAME, TlsTrust.system())
                      .attempt(TIMEOUT));
      assertTrue(untrusted.getMessage().startsWith("TLS handshake failed"), untrusted.getMessage());
    }
  }

  @Test
  void anExpiredCertificateFailsTheTlsProbe() throws Exception {
    LocalTlsCertificate cert = LocalTlsCertificate.generate(dir.resolve("tls"), SERVER_NAME, 10, 1);
    try (LocalCoturn coturn = LocalCoturn.start(dir, LocalCoturn.Options.DEFAULT.withTls(cert))) {
      ProbeFailure failure =
          assertThrows(
              ProbeFailure.class,
              () ->
                  new StunTlsProbe(
                          "127.0.0.1", coturn.tlsPort(), SERVER_NAME, TlsTrust.pem(cert.caPem()))
                      .attempt(TIMEOUT));
      assertTrue(
          failure.facts().certificateExpiry().orElseThrow().isBefore(Instant.now()),
          failure.getMessage());
      assertTrue(failure.getMessage().contains("valid until"), failure.getMessage());
    }
  }
}
