package dev.hotpath.shared.turn.probe;

import dev.hotpath.shared.turn.stun.StunCodec;
import dev.hotpath.shared.turn.stun.StunFormatException;
import dev.hotpath.shared.turn.stun.StunMessage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * Sends one STUN request and returns the response carrying its transaction id, over UDP, TCP or
 * TLS.
 */
final class StunTransport {
  private static final int MAX_DATAGRAM = 1500;

  /** UDP: retransmits on {@code schedule} until a matching response or {@code timeout}. */
  static StunMessage exchangeUdp(
      InetSocketAddress server, StunMessage request, UdpRetransmission schedule, Duration timeout)
      throws ProbeFailure {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(server);
      return exchangeUdp(socket, server, request, null, schedule, timeout);
    } catch (IOException e) {
      throw new ProbeFailure("UDP error: " + e);
    }
  }

  /**
   * UDP on a socket the caller keeps (a TURN allocation lives on its 5-tuple): sends {@code
   * request} to {@code server}, with MESSAGE-INTEGRITY under {@code integrityKey} when not null,
   * and skips whatever else arrives meanwhile (stray datagrams, data relayed to this socket).
   */
  static StunMessage exchangeUdp(
      DatagramSocket socket,
      InetSocketAddress server,
      StunMessage request,
      byte[] integrityKey,
      UdpRetransmission schedule,
      Duration timeout)
      throws ProbeFailure {
    byte[] bytes = StunCodec.encode(request, integrityKey, true);
    long start = System.nanoTime();
    long deadline = start + Math.min(timeout.toNanos(), schedule.giveUpAfter().toNanos());
    List<Duration> sends = schedule.sendOffsets();
    try {
      byte[] buffer = new byte[MAX_DATAGRAM];
      int sent = 0;
      while (true) {
        long now = System.nanoTime();
        while (sent < sends.size() && now - start >= sends.get(sent).toNanos()) {
          socket.send(new DatagramPacket(bytes, bytes.length, server));
          sent++;
        }
        long nextSend = sent < sends.size() ? start + sends.get(sent).toNanos() : Long.MAX_VALUE;
        long waitUntil = Math.min(nextSend, deadline);
        long waitMillis = Math.max(1, (waitUntil - now + 999_999) / 1_000_000);
        if (now >= deadline) {
          throw new ProbeFailure(
              "no answer over UDP after " + sent + " sends in " + millisSince(start) + " ms");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, waitMillis));
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (SocketTimeoutException e) {
          continue;
        }
        StunMessage response = decodeOrNull(buffer, packet.getLength());
        if (response != null && response.hasTransactionId(request.transactionId())) {
          return response;
        }
      }
    } catch (IOException e) {
      // On a connected socket, an ICMP port-unreachable surfaces here as PortUnreachableException.
      throw new ProbeFailure("UDP error: " + e);
    }
  }

  /** TCP: one connection, one request, the response framed by its STUN length field. */
  static StunMessage exchangeTcp(InetSocketAddress server, StunMessage request, Duration timeout)
      throws ProbeFailure {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(server, timeoutMillis(timeout));
      return exchangeStream(
          socket, request, Duration.ofMillis(Math.max(1, timeout.toMillis() - millisSince(start))));
    } catch (SocketTimeoutException e) {
      throw new ProbeFailure("no answer over TCP within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw new ProbeFailure("TCP error: " + e);
    }
  }

  /**
   * One request and its response on a connected stream socket (plain TCP or TLS, RFC 5389 §7.2.2).
   */
  static StunMessage exchangeStream(Socket socket, StunMessage request, Duration timeout)
      throws ProbeFailure {
    try {
      socket.setSoTimeout(timeoutMillis(timeout));
      socket.getOutputStream().write(StunCodec.encode(request, null, true));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] header = new byte[StunMessage.HEADER_LENGTH];
      in.readFully(header);
      byte[] message = new byte[StunCodec.totalLength(header)];
      System.arraycopy(header, 0, message, 0, header.length);
      in.readFully(message, header.length, message.length - header.length);
      StunMessage response = StunCodec.decode(message);
      if (!response.hasTransactionId(request.transactionId())) {
        throw new ProbeFailure("stream answer carries another transaction id");
      }
      return response;
    } catch (SocketTimeoutException e) {
      throw new ProbeFailure("no answer within " + timeout.toMillis() + " ms");
    } catch (EOFException e) {
      throw new ProbeFailure("server closed the connection before answering");
    } catch (StunFormatException e) {
      throw new ProbeFailure("answer is not STUN: " + e.getMessage());
    } catch (IOException e) {
      throw new ProbeFailure("stream error: " + e);
    }
  }

  static int timeoutMillis(Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  private static StunMessage decodeOrNull(byte[] buffer, int length) {
    try {
      return StunCodec.decode(buffer, length);
    } catch (StunFormatException e) {
      return null; // stray datagram: keep waiting for ours
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private StunTransport() {}
}
