package dev.hotpath.local.stack;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code up}'s console log: one line per record — time, level, logger, message — instead of
 * java.util.logging's default two, so a request's 503 warning reads at a glance beside the banner.
 * (Deployed, the same records are JSON for Cloud Logging: {@code CloudLogging}.) A stack trace,
 * when there is one, follows on the lines after.
 */
public final class ConsoleLogs {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  /** Gives every console handler of the root logger the one-line format. */
  public static void oneLinePerRecord() {
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler instanceof ConsoleHandler) {
        handler.setFormatter(new OneLine());
      }
    }
  }

  static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder line =
          new StringBuilder()
              .append(TIME.format(LocalTime.ofInstant(record.getInstant(), ZoneId.systemDefault())))
              .append(' ')
              .append(record.getLevel().getName())
              .append(' ')
              .append(record.getLoggerName())
              .append(": ")
              .append(formatMessage(record))
              .append(System.lineSeparator());
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }
  }

  private ConsoleLogs() {}
}
