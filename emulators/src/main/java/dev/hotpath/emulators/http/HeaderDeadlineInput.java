package dev.hotpath.emulators.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A connection's input with an overall deadline while armed: the socket's read timeout restarts
 * with every byte, so a client trickling its request line and headers a byte now and then would
 * hold its connection (and {@link HttpConnectionServer}'s thread for it) for as long as it likes.
 * While armed, each read may wait only for what is left of the deadline.
 */
final class HeaderDeadlineInput extends FilterInputStream {
  /** Thrown by a read once the armed deadline has passed. */
  static final class Passed extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    Passed() {
      super("request headers did not arrive in time");
    }
  }

  private final Socket socket;
  private final int idleTimeoutMs;
  private long deadlineNanos;
  private boolean armed;

  HeaderDeadlineInput(Socket socket, int idleTimeoutMs) throws IOException {
    super(socket.getInputStream());
    this.socket = socket;
    this.idleTimeoutMs = idleTimeoutMs;
    socket.setSoTimeout(idleTimeoutMs);
  }

  /** Reads from now on must end by {@code deadlineNanos} ({@link System#nanoTime}). */
  void arm(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
    this.armed = true;
  }

  /** Back to the idle timeout alone (between requests, and for bodies). */
  void disarm() throws IOException {
    armed = false;
    socket.setSoTimeout(idleTimeoutMs);
  }

  @Override
  public int read() throws IOException {
    bound();
    try {
      return super.read();
    } catch (SocketTimeoutException e) {
      throw armed ? new Passed() : e;
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    bound();
    try {
      return super.read(b, off, len);
    } catch (SocketTimeoutException e) {
      throw armed ? new Passed() : e;
    }
  }

  private void bound() throws IOException {
    if (!armed) {
      return;
    }
    long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (leftMs <= 0) {
      throw new Passed();
    }
    socket.setSoTimeout((int) Math.min(leftMs, idleTimeoutMs));
  }
}
