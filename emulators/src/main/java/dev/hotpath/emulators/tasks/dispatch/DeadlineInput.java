package dev.hotpath.emulators.tasks.dispatch;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A socket's input that gives up at an absolute deadline rather than after an idle gap: before each
 * read the socket's timeout is set to the time left, so a handler trickling bytes cannot stretch an
 * attempt past its {@code dispatch_deadline}.
 */
final class DeadlineInput extends InputStream {
  private final Socket socket;
  private final InputStream in;

  /** {@link System#nanoTime()} by which the current response must have arrived. */
  long deadlineNanos = Long.MAX_VALUE;

  DeadlineInput(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /**
   * The time left until the deadline in whole milliseconds, at least 1 (0 would mean no timeout).
   */
  static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("dispatch deadline passed");
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    socket.setSoTimeout(remainingMillis(deadlineNanos));
    return in.read(b, off, len);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }
}
