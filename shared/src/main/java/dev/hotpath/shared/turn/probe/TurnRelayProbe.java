package dev.hotpath.shared.turn.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * {@code turn-relay}: proves the server relays, not just answers. A second socket of the prober
 * (the "peer") learns its server-reflexive address with a Binding request; the TURN socket
 * allocates with credentials, permits the peer, and bytes go prober → relay → peer → relay →
 * prober. Alive only when they come back; the round trip is measured. The allocation is freed with
 * a Refresh of lifetime 0 whatever happened.
 *
 * <p>The peer speaks first to the relayed address, so a NAT in front of the prober lets the relay's
 * packets in; the server must accept the prober's address as a peer (coturn's {@code
 * denied-peer-ip} / {@code allowed-peer-ip}, and {@code allow-loopback-peers} on loopback).
 */
public final class TurnRelayProbe implements Probe {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration RELEASE_TIMEOUT = Duration.ofMillis(500);
  private static final int ALLOCATION_MISMATCH = 437;
  private static final int CLIENT_ADDRESSES = 3;

  private final String host;
  private final int port;
  private final UdpRetransmission schedule;
  private final Supplier<TurnCredentials> credentials;

  /**
   * @param credentials called per attempt, so time-limited credentials are fresh
   */
  public TurnRelayProbe(
      String host, int port, UdpRetransmission schedule, Supplier<TurnCredentials> credentials) {
    this.host = host;
    this.port = port;
    this.schedule = schedule;
    this.credentials = credentials;
  }

  @Override
  public ProbeKind kind() {
    return ProbeKind.TURN_RELAY;
  }

  @Override
  public ProbeAnswer attempt(Duration timeout) throws ProbeFailure {
    long deadline = System.nanoTime() + timeout.toNanos();
    InetSocketAddress server = Endpoints.resolve(host, port);
    for (int address = 1; ; address++) {
      try {
        return relay(server, deadline);
      } catch (ProbeFailure e) {
        // 437: an allocation still exists on this 5-tuple (the OS reused the local port of one the
        // server has not dropped yet). RFC 8656 §7.4 (RFC 5766 §6.4): retry from other client
        // addresses, up to 3.
        if (e.facts().stunError().filter(code -> code == ALLOCATION_MISMATCH).isEmpty()
            || address == CLIENT_ADDRESSES) {
          throw e;
        }
      }
    }
  }

  private ProbeAnswer relay(InetSocketAddress server, long deadline) throws ProbeFailure {
    try (TurnSession turn = TurnSession.open(server, credentials.get(), schedule);
        DatagramSocket peer = new DatagramSocket()) {
      InetSocketAddress peerAddress =
          BindingResponses.mappedAddress(
              StunTransport.exchangeUdp(
                  peer, server, BindingResponses.bindingRequest(), null, schedule, left(deadline)));
      InetSocketAddress relayed = turn.allocate(left(deadline));
      try {
        turn.createPermission(peerAddress, left(deadline));
        Duration rtt = roundTrip(turn, peer, peerAddress, relayed, deadline);
        return new ProbeAnswer(
            String.format("relayed via %s, round trip %.1f ms", relayed, rtt.toNanos() / 1e6),
            ProbeFacts.relayRoundTrip(rtt));
      } finally {
        try {
          turn.release(RELEASE_TIMEOUT);
        } catch (ProbeFailure e) {
          // The allocation then ends at its lifetime; the probe's verdict stands.
        }
      }
    } catch (IOException e) {
      throw new ProbeFailure("UDP error: " + e);
    }
  }

  /**
   * Sends random bytes through the relay to the peer, which echoes them back through the relay.
   * Repeated at the retransmission schedule's intervals, as UDP may lose any leg.
   */
  private Duration roundTrip(
      TurnSession turn,
      DatagramSocket peer,
      InetSocketAddress peerAddress,
      InetSocketAddress relayed,
      long deadline)
      throws ProbeFailure, IOException {
    byte[] payload = new byte[16];
    RANDOM.nextBytes(payload);
    byte[] punch = {0};
    peer.send(new DatagramPacket(punch, punch.length, relayed));
    Duration wait =
        schedule.sendOffsets().size() > 1 ? schedule.sendOffsets().get(1) : Duration.ofMillis(500);
    int sends = 0;
    while (System.nanoTime() < deadline) {
      long sentAt = System.nanoTime();
      turn.send(peerAddress, payload);
      sends++;
      Duration slice = min(wait, left(deadline));
      if (peerReceives(peer, relayed, payload, slice)) {
        peer.send(new DatagramPacket(payload, payload.length, relayed));
        if (turn.awaitData(peerAddress, payload, min(slice, left(deadline)))) {
          return Duration.ofNanos(System.nanoTime() - sentAt);
        }
      }
      wait = wait.multipliedBy(2);
    }
    throw new ProbeFailure(
        "allocated " + relayed + " but relayed bytes did not come back (" + sends + " sends)");
  }

  private static boolean peerReceives(
      DatagramSocket peer, InetSocketAddress relayed, byte[] payload, Duration timeout)
      throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buffer = new byte[1500];
    while (System.nanoTime() < deadline) {
      peer.setSoTimeout(
          StunTransport.timeoutMillis(Duration.ofNanos(deadline - System.nanoTime())));
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        peer.receive(packet);
      } catch (SocketTimeoutException e) {
        return false;
      }
      if (relayed.equals(packet.getSocketAddress())
          && Arrays.equals(Arrays.copyOf(buffer, packet.getLength()), payload)) {
        return true;
      }
    }
    return false;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration left(long deadlineNanos) throws ProbeFailure {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new ProbeFailure("out of time");
    }
    return Duration.ofNanos(left);
  }
}
