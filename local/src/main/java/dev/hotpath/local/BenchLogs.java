package dev.hotpath.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * A benchmark's logs go to a file instead of the console while it runs: what Jetty, the group
 * committer, sshj (through SLF4J) and the rest log would otherwise be interleaved with the
 * benchmark's progress lines and table on the terminal. The file is named before the benchmark
 * starts; closing restores the console.
 */
final class BenchLogs implements AutoCloseable {
  private final Logger root = Logger.getLogger("");
  private final List<Handler> console;
  private final FileHandler file;
  private final Path path;

  private BenchLogs(List<Handler> console, FileHandler file, Path path) {
    this.console = console;
    this.file = file;
    this.path = path;
  }

  /**
   * Sends every log record to a new file in the temp folder named after {@code benchmark} ({@code
   * hotpath-log-bench-turn-…}: not {@code hotpath-bench-turn…}, the scratch directories of keys
   * that must not outlive a benchmark).
   */
  static BenchLogs toFile(String benchmark) throws IOException {
    Path path = Files.createTempFile("hotpath-log-bench-" + benchmark + "-", ".log");
    FileHandler file = new FileHandler(path.toString());
    file.setFormatter(new SimpleFormatter());
    Logger root = Logger.getLogger("");
    List<Handler> console = List.of(root.getHandlers());
    console.forEach(root::removeHandler);
    root.addHandler(file);
    return new BenchLogs(console, file, path);
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    root.removeHandler(file);
    file.close();
    console.forEach(root::addHandler);
  }
}
