package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** While a benchmark runs, every log record goes to its file and none to the console. */
class BenchLogsTest {
  private static final Logger LOG = Logger.getLogger(BenchLogsTest.class.getName());

  @Test
  void logsGoToTheNamedFileWhileOpenAndBackToTheConsoleAfter() throws Exception {
    Logger root = Logger.getLogger("");
    List<Handler> before = List.of(root.getHandlers());
    Path path;
    try (BenchLogs logs = BenchLogs.toFile("test")) {
      path = logs.path();
      assertTrue(
          path.getFileName().toString().startsWith("hotpath-log-bench-test-"), path.toString());
      assertFalse(
          List.of(root.getHandlers()).stream().anyMatch(before::contains),
          "a console handler still receives records");
      LOG.warning("a line the terminal should not show");
    }
    try {
      assertTrue(
          Files.readString(path).contains("a line the terminal should not show"),
          Files.readString(path));
      assertEquals(before, List.of(root.getHandlers()));
    } finally {
      Files.deleteIfExists(path);
    }
  }
}
