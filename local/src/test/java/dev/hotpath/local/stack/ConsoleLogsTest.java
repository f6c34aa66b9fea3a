package dev.hotpath.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class ConsoleLogsTest {
  private static final Instant AT = Instant.parse("2026-12-08T01:02:03.456Z");

  private static LogRecord record(Level level, String message, Object... parameters) {
    LogRecord record = new LogRecord(level, message);
    record.setInstant(AT);
    record.setLoggerName("dev.hotpath.functions.FunctionBoundary");
    record.setParameters(parameters);
    return record;
  }

  private static String time() {
    return LocalTime.ofInstant(AT, ZoneId.systemDefault()).toString().substring(0, 12);
  }

  @Test
  void oneLinePerRecordWithTimeLevelLoggerAndMessage() {
    String line =
        new ConsoleLogs.OneLine()
            .format(
                record(
                    Level.WARNING,
                    "POST /v1/counters/x:increment answered 503 (shutting_down): {0}",
                    "retry"));
    assertEquals(
        time()
            + " WARNING dev.hotpath.functions.FunctionBoundary:"
            + " POST /v1/counters/x:increment answered 503 (shutting_down): retry"
            + System.lineSeparator(),
        line);
  }

  @Test
  void aStructuredParameterLeavesTheMessageAsItIs() {
    String line =
        new ConsoleLogs.OneLine().format(record(Level.INFO, "summary", Map.of("cause", "x")));
    assertEquals(
        time() + " INFO dev.hotpath.functions.FunctionBoundary: summary" + System.lineSeparator(),
        line);
  }

  @Test
  void aStackTraceFollowsOnTheNextLines() {
    LogRecord record = record(Level.SEVERE, "failed");
    record.setThrown(new IllegalStateException("boom"));
    String text = new ConsoleLogs.OneLine().format(record);
    assertTrue(
        text.startsWith(
            time()
                + " SEVERE dev.hotpath.functions.FunctionBoundary: failed"
                + System.lineSeparator()
                + "java.lang.IllegalStateException: boom"),
        text);
  }
}
