package dev.hotpath.shared.turn.probe;

import dev.hotpath.shared.turn.stun.StunMessage;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** A TURN control channel over UDP: one socket, requests retransmitted on the RFC schedule. */
final class UdpTurnChannel implements TurnChannel {
  private static final int MAX_DATAGRAM = 1500;

  private final DatagramSocket socket;
  private final InetSocketAddress server;
  private final UdpRetransmission schedule;

  private UdpTurnChannel(
      DatagramSocket socket, InetSocketAddress server, UdpRetransmission schedule) {
    this.socket = socket;
    this.server = server;
    this.schedule = schedule;
  }

  static UdpTurnChannel open(InetSocketAddress server, UdpRetransmission schedule)
      throws ProbeFailure {
    try {
      return new UdpTurnChannel(new DatagramSocket(), server, schedule);
    } catch (SocketException e) {
      throw new ProbeFailure("cannot open a UDP socket: " + e.getMessage());
    }
  }

  @Override
  public StunMessage exchange(StunMessage request, byte[] integrityKey, Duration timeout)
      throws ProbeFailure {
    return StunTransport.exchangeUdp(socket, server, request, integrityKey, schedule, timeout);
  }

  @Override
  public void send(byte[] message) throws ProbeFailure {
    try {
      socket.send(new DatagramPacket(message, message.length, server));
    } catch (IOException e) {
      throw new ProbeFailure("UDP error: " + e);
    }
  }

  @Override
  public Optional<byte[]> receive(Duration timeout) throws ProbeFailure {
    byte[] buffer = new byte[MAX_DATAGRAM];
    try {
      socket.setSoTimeout(StunTransport.timeoutMillis(timeout));
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      socket.receive(packet);
      return Optional.of(Arrays.copyOf(buffer, packet.getLength()));
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new ProbeFailure("UDP error: " + e);
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
