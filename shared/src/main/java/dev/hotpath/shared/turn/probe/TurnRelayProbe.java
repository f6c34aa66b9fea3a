package dev.hotpath.shared.turn.probe;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code turn-relay}: proves the server relays what a call needs, not just answers.
 *
 * <p>Relay to relay first, as two relayed clients talk: two allocations, each permitting the
 * other's relayed address, and bytes both ways between them (Send indication in, Data indication
 * out). The second allocation is made while the first is held, so a server with one allocation left
 * fails here (486/508) rather than in the next call. Then the prober as a peer: a second socket of
 * the prober (the "peer") learns its server-reflexive address with a Binding request, the first
 * allocation permits it, and bytes go prober → relay → peer → relay → prober; this one also proves
 * the relayed address the server announces is reachable from outside. Alive only when all bytes
 * come back; the prober's round trip is measured. The allocations are freed with a Refresh of
 * lifetime 0 whatever happened.
 *
 * <p>{@code turn-relay} makes the allocations over UDP, {@code turn-relay-tcp} ({@link #overTcp})
 * each over its own TCP connection; both relay UDP.
 *
 * <p>The peer speaks first to the relayed address, so a NAT in front of the prober lets the relay's
 * packets in; the server must accept the prober's address and its own relayed addresses as peers
 * (coturn's {@code denied-peer-ip} / {@code allowed-peer-ip}, and {@code allow-loopback-peers} on
 * loopback).
 */
public final class TurnRelayProbe implements Probe {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration RELEASE_TIMEOUT = Duration.ofMillis(500);
  private static final int ALLOCATION_MISMATCH = 437;
  private static final Set<Integer> CAPACITY_CODES = Set.of(486, 508);
  private static final int CLIENT_ADDRESSES = 3;
  private static final String LOST_HINT =
      "; the server answers, so check external-ip (the relayed address it announces must be the"
          + " one that reaches it) and that its relay ports (min-port..max-port) are open";

  private final String host;
  private final int port;
  private final UdpRetransmission schedule;
  private final Supplier<TurnCredentials> credentials;
  private final boolean overTcp;

  /**
   * {@code turn-relay}: allocations over UDP.
   *
   * @param credentials called per attempt, so time-limited credentials are fresh
   */
  public TurnRelayProbe(
      String host, int port, UdpRetransmission schedule, Supplier<TurnCredentials> credentials) {
    this(host, port, schedule, credentials, false);
  }

  private TurnRelayProbe(
      String host,
      int port,
      UdpRetransmission schedule,
      Supplier<TurnCredentials> credentials,
      boolean overTcp) {
    this.host = host;
    this.port = port;
    this.schedule = schedule;
    this.credentials = credentials;
    this.overTcp = overTcp;
  }

  /**
   * {@code turn-relay-tcp}: the same checks with each allocation made over its own TCP connection
   * (relaying UDP), as clients behind firewalls that block UDP to the server do.
   */
  public static TurnRelayProbe overTcp(
      String host, int port, UdpRetransmission schedule, Supplier<TurnCredentials> credentials) {
    return new TurnRelayProbe(host, port, schedule, credentials, true);
  }

  @Override
  public ProbeKind kind() {
    return overTcp ? ProbeKind.TURN_RELAY_TCP : ProbeKind.TURN_RELAY;
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
    TurnCredentials user = credentials.get();
    try (TurnSession first = session(server, user, deadline);
        TurnSession second = session(server, user, deadline);
        DatagramSocket peer = new DatagramSocket()) {
      InetSocketAddress relayed = first.allocate(left(deadline));
      try {
        Duration relayToRelay = relayToRelay(first, relayed, second, deadline);
        InetSocketAddress peerAddress =
            BindingResponses.mappedAddress(
                StunTransport.exchangeUdp(
                    peer,
                    server,
                    BindingResponses.bindingRequest(),
                    null,
                    schedule,
                    left(deadline)));
        try {
          first.createPermission(peerAddress, left(deadline));
        } catch (ProbeFailure e) {
          throw step("the prober as peer " + peerAddress, e);
        }
        Duration rtt = roundTrip(first, peer, peerAddress, relayed, deadline);
        return new ProbeAnswer(
            String.format(
                "relayed via %s, round trip %.1f ms; relay to relay both ways in %.1f ms",
                relayed, rtt.toNanos() / 1e6, relayToRelay.toNanos() / 1e6),
            ProbeFacts.relayRoundTrip(rtt));
      } finally {
        release(first);
      }
    } catch (IOException e) {
      throw new ProbeFailure("UDP error: " + e);
    }
  }

  private TurnSession session(InetSocketAddress server, TurnCredentials user, long deadline)
      throws ProbeFailure {
    return overTcp
        ? TurnSession.openTcp(server, user, left(deadline))
        : TurnSession.open(server, user, schedule);
  }

  /**
   * A second allocation while {@code first} holds {@code firstRelayed}; each permits the other's
   * relayed address and bytes go both ways. Returns the time both ways took.
   */
  private Duration relayToRelay(
      TurnSession first, InetSocketAddress firstRelayed, TurnSession second, long deadline)
      throws ProbeFailure {
    InetSocketAddress secondRelayed;
    try {
      secondRelayed = second.allocate(left(deadline));
    } catch (ProbeFailure e) {
      if (e.facts().stunError().filter(CAPACITY_CODES::contains).isEmpty()) {
        throw e;
      }
      throw step(
          "a second allocation, refused while the first ("
              + firstRelayed
              + ") was held: too little headroom for a call between two relayed clients",
          e);
    }
    try {
      try {
        first.createPermission(secondRelayed, left(deadline));
        second.createPermission(firstRelayed, left(deadline));
      } catch (ProbeFailure e) {
        throw step("relay to relay (" + firstRelayed + " and " + secondRelayed + ")", e);
      }
      long started = System.nanoTime();
      oneWay(first, firstRelayed, second, secondRelayed, deadline);
      oneWay(second, secondRelayed, first, firstRelayed, deadline);
      return Duration.ofNanos(System.nanoTime() - started);
    } finally {
      release(second);
    }
  }

  /**
   * Random bytes from {@code from}'s allocation to {@code to}'s relayed address, resent at the
   * retransmission schedule's intervals as UDP may lose them.
   */
  private void oneWay(
      TurnSession from,
      InetSocketAddress fromRelayed,
      TurnSession to,
      InetSocketAddress toRelayed,
      long deadline)
      throws ProbeFailure {
    byte[] payload = new byte[16];
    RANDOM.nextBytes(payload);
    Duration wait = firstWait();
    int sends = 0;
    while (System.nanoTime() < deadline) {
      from.send(toRelayed, payload);
      sends++;
      if (to.awaitData(fromRelayed, payload, min(wait, leftOrZero(deadline)))) {
        return;
      }
      wait = wait.multipliedBy(2);
    }
    throw new ProbeFailure(
        "relay to relay: bytes from "
            + fromRelayed
            + " did not reach "
            + toRelayed
            + " ("
            + sends
            + " sends)"
            + LOST_HINT,
        ProbeFacts.dataLost());
  }

  private Duration firstWait() {
    return schedule.sendOffsets().size() > 1
        ? schedule.sendOffsets().get(1)
        : Duration.ofMillis(500);
  }

  /** The allocation then ends at its lifetime if this fails; the probe's verdict stands. */
  private static void release(TurnSession session) {
    try {
      session.release(RELEASE_TIMEOUT);
    } catch (ProbeFailure e) {
      // nothing more to do: the server drops it at the end of its lifetime
    }
  }

  /** {@code e} with the step of the probe it failed in, keeping what it learned. */
  private static ProbeFailure step(String step, ProbeFailure e) {
    return new ProbeFailure(step + ": " + e.getMessage(), e.facts());
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
    Duration wait = firstWait();
    int sends = 0;
    while (System.nanoTime() < deadline) {
      long sentAt = System.nanoTime();
      turn.send(peerAddress, payload);
      sends++;
      Duration slice = min(wait, leftOrZero(deadline));
      if (peerReceives(peer, relayed, payload, slice)) {
        peer.send(new DatagramPacket(payload, payload.length, relayed));
        if (turn.awaitData(peerAddress, payload, min(slice, leftOrZero(deadline)))) {
          return Duration.ofNanos(System.nanoTime() - sentAt);
        }
      }
      wait = wait.multipliedBy(2);
    }
    throw new ProbeFailure(
        "the prober as peer: allocated "
            + relayed
            + " but relayed bytes did not come back ("
            + sends
            + " sends)"
            + LOST_HINT,
        ProbeFacts.dataLost());
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

  /**
   * The time left for relayed bytes; running out of it means they were lost (the server answered
   * every request before), so unlike {@link #left} it is no failure of its own.
   */
  private static Duration leftOrZero(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  private static Duration left(long deadlineNanos) throws ProbeFailure {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new ProbeFailure("out of time");
    }
    return Duration.ofNanos(left);
  }
}
