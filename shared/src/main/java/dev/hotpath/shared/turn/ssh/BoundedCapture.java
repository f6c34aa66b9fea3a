package dev.hotpath.shared.turn.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains a stream on its own thread, keeping at most {@code limit} bytes: a restart command that
 * prints megabytes must neither stall on a full SSH window nor bloat the incident record.
 */
final class BoundedCapture {
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final int limit;
  private final Thread reader;
  private long total;

  BoundedCapture(InputStream in, int limit, String name) {
    this.limit = limit;
    this.reader = new Thread(() -> drain(in), name);
    reader.setDaemon(true);
    reader.start();
  }

  private void drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        synchronized (this) {
          int room = Math.max(0, limit - kept.size());
          kept.write(buffer, 0, Math.min(room, n));
          total += n;
        }
      }
    } catch (IOException e) {
      // the channel closed under us (timeout, disconnect): keep what arrived
    }
  }

  /**
   * What was captured so far, marked when bytes were dropped.
   *
   * @param awaitEnd wait up to a second for the stream to end first (it has, after a command
   *     exited)
   */
  String text(boolean awaitEnd) throws InterruptedException {
    if (awaitEnd) {
      reader.join(1000);
    }
    synchronized (this) {
      String text = kept.toString(StandardCharsets.UTF_8);
      return total > kept.size()
          ? text + "…[" + (total - kept.size()) + " more bytes dropped]"
          : text;
    }
  }
}
