package dev.hotpath.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records one logger publishes while a test runs, captured in memory: attach with {@link
 * #on(String)}, read {@link #records()}, and {@link #close()} to detach.
 */
public final class CapturedLog extends Handler implements AutoCloseable {
  private final Logger logger;
  private final List<LogRecord> records = new ArrayList<>();

  private CapturedLog(Logger logger) {
    this.logger = logger;
  }

  /** Starts capturing what logger {@code name} publishes. */
  public static CapturedLog on(String name) {
    Logger logger = Logger.getLogger(name);
    CapturedLog captured = new CapturedLog(logger);
    logger.addHandler(captured);
    return captured;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
  }

  /** What was captured so far, oldest first. */
  public synchronized List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** Forgets what was captured so far. */
  public synchronized void clear() {
    records.clear();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
