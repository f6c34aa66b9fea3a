package dev.hotpath.testsupport;

import java.time.Duration;

/**
 * The one way tests wait for something another thread or a real process does: check a condition
 * every {@link #INTERVAL} until it holds or a deadline passes. For waits on our own code, inject a
 * clock instead; this is for real servers (coturn, sshd, Google's emulators) and real sockets.
 */
public final class Poll {
  /** Short enough not to slow a test down, long enough not to keep a core busy. */
  static final Duration INTERVAL = Duration.ofMillis(20);

  private Poll() {}

  /** What is polled: a check that may throw, e.g. an HTTP call, whose failure ends the wait. */
  @FunctionalInterface
  public interface Condition<E extends Exception> {
    boolean holds() throws E;
  }

  /**
   * Whether {@code condition} held at some check within {@code timeout} (it is checked at least
   * once, and once more at the deadline).
   */
  public static <E extends Exception> boolean within(Duration timeout, Condition<E> condition)
      throws E, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      Thread.sleep(Math.max(1, Math.min(INTERVAL.toMillis(), left / 1_000_000)));
    }
    return true;
  }

  /**
   * Waits until {@code condition} holds; an AssertionError naming {@code what} after {@code
   * timeout}.
   */
  public static <E extends Exception> void until(
      String what, Duration timeout, Condition<E> condition) throws E, InterruptedException {
    if (!within(timeout, condition)) {
      throw new AssertionError("timed out after " + timeout + " waiting until " + what);
    }
  }
}
