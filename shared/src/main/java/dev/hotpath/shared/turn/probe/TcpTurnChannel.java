package dev.hotpath.shared.turn.probe;

import dev.hotpath.shared.turn.stun.StunCodec;
import dev.hotpath.shared.turn.stun.StunFormatException;
import dev.hotpath.shared.turn.stun.StunMessage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * A TURN control channel over one TCP connection (RFC 8656 §3.1), as clients use where UDP to the
 * server is blocked. Messages are framed by the STUN length field; no retransmission (TCP is
 * reliable). Only STUN messages are expected: the probe binds no channels, so no ChannelData.
 */
final class TcpTurnChannel implements TurnChannel {
  /** Once a message has begun, the rest of it is on its way: time enough for a slow host. */
  private static final Duration REST_OF_MESSAGE = Duration.ofSeconds(2);

  private final Socket socket;
  private final DataInputStream in;

  private TcpTurnChannel(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
  }

  static TcpTurnChannel open(InetSocketAddress server, Duration timeout) throws ProbeFailure {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(server, StunTransport.timeoutMillis(timeout));
      return new TcpTurnChannel(socket);
    } catch (SocketTimeoutException e) {
      close(socket);
      throw new ProbeFailure("no TCP connection within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      close(socket);
      throw new ProbeFailure("TCP error: " + e);
    }
  }

  @Override
  public StunMessage exchange(StunMessage request, byte[] integrityKey, Duration timeout)
      throws ProbeFailure {
    long deadline = System.nanoTime() + timeout.toNanos();
    send(StunCodec.encode(request, integrityKey, true));
    while (true) {
      long left = deadline - System.nanoTime();
      Optional<byte[]> next = left > 0 ? receive(Duration.ofNanos(left)) : Optional.empty();
      if (next.isEmpty()) {
        throw new ProbeFailure("no answer over TCP within " + timeout.toMillis() + " ms");
      }
      try {
        StunMessage message = StunCodec.decode(next.get());
        if (message.hasTransactionId(request.transactionId())) {
          return message;
        }
      } catch (StunFormatException e) {
        throw new ProbeFailure("answer over TCP is not STUN: " + e.getMessage());
      }
    }
  }

  @Override
  public void send(byte[] message) throws ProbeFailure {
    try {
      socket.getOutputStream().write(message);
    } catch (IOException e) {
      throw new ProbeFailure("TCP error: " + e);
    }
  }

  @Override
  public Optional<byte[]> receive(Duration timeout) throws ProbeFailure {
    byte[] header = new byte[StunMessage.HEADER_LENGTH];
    boolean started = false;
    try {
      socket.setSoTimeout(StunTransport.timeoutMillis(timeout));
      int first = in.read();
      if (first < 0) {
        throw new ProbeFailure("server closed the TCP connection");
      }
      header[0] = (byte) first;
      started = true;
      socket.setSoTimeout(StunTransport.timeoutMillis(REST_OF_MESSAGE));
      in.readFully(header, 1, header.length - 1);
      byte[] message = new byte[StunCodec.totalLength(header)];
      System.arraycopy(header, 0, message, 0, header.length);
      in.readFully(message, header.length, message.length - header.length);
      return Optional.of(message);
    } catch (SocketTimeoutException e) {
      if (!started) {
        return Optional.empty();
      }
      throw new ProbeFailure("a message over TCP stopped half way");
    } catch (EOFException e) {
      throw new ProbeFailure("server closed the TCP connection mid-message");
    } catch (StunFormatException e) {
      throw new ProbeFailure("not STUN over TCP: " + e.getMessage());
    } catch (IOException e) {
      throw new ProbeFailure("TCP error: " + e);
    }
  }

  @Override
  public void close() {
    close(socket);
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing left to do with it
    }
  }
}
