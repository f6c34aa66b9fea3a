package dev.hotpath.emulators.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A socket's input that gives up at an absolute deadline rather than after an idle gap: before each
 * read the socket's timeout is set to the time left, so a peer trickling bytes cannot stretch what
 * it sends past the deadline — a handler's response past its task's {@code dispatch_deadline}, a
 * client's request headers past {@link HttpConnectionServer#HEADER_DEADLINE}. Without a deadline
 * set, reads wait as the socket's timeout says (the idle timeout, if one is given).
 */
public final class DeadlineInput extends InputStream {
  /** A read found the deadline passed (not merely an idle gap). */
  public static final class Passed extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    Passed() {
      super("deadline passed");
    }
  }

  private static final long NONE = Long.MAX_VALUE;

  private final Socket socket;
  private final InputStream in;
  private final int idleTimeoutMs;
  private long deadlineNanos = NONE;

  /** Reads without an idle timeout; a deadline bounds them once {@link #deadline} is set. */
  public DeadlineInput(Socket socket) throws IOException {
    this(socket, 0);
  }

  /**
   * @param idleTimeoutMs longest wait for a byte with or without a deadline (0: none)
   */
  public DeadlineInput(Socket socket, int idleTimeoutMs) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.idleTimeoutMs = idleTimeoutMs;
    if (idleTimeoutMs > 0) {
      socket.setSoTimeout(idleTimeoutMs);
    }
  }

  /** From now on reads must end by {@code deadlineNanos} ({@link System#nanoTime()}). */
  public void deadline(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * Back to the idle timeout alone, which reads leave alone from now on (the caller may set another
   * on the socket, as the HTTP/2 relay does).
   */
  public void noDeadline() throws IOException {
    this.deadlineNanos = NONE;
    socket.setSoTimeout(idleTimeoutMs);
  }

  /**
   * The time left until the deadline in whole milliseconds, at least 1 (0 would mean no timeout).
   */
  public static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new Passed();
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    long deadline = deadlineNanos;
    if (deadline == NONE) {
      return in.read(b, off, len);
    }
    int left = remainingMillis(deadline);
    socket.setSoTimeout(idleTimeoutMs == 0 ? left : Math.min(left, idleTimeoutMs));
    try {
      return in.read(b, off, len);
    } catch (SocketTimeoutException e) {
      throw System.nanoTime() - deadline >= 0 ? new Passed() : e;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }
}
