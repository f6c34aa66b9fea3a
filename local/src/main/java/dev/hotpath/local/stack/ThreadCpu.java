package dev.hotpath.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of some of a process's threads, chosen by name, as Linux reports it in {@code
 * /proc/PID/task/TID/{comm,stat}}: lets a benchmark tell the JIT compiler's CPU from the request
 * path's without attaching to the JVM. Empty where {@code /proc} is not there.
 */
public final class ThreadCpu {
  /** HotSpot's compiler threads ("C1 CompilerThre", "C2 CompilerThre": comm keeps 15 bytes). */
  public static final Predicate<String> JIT_COMPILER = name -> name.contains("CompilerThre");

  /** USER_HZ: the unit of utime and stime, 100 on every Linux the JDK supports. */
  private static final long TICKS_PER_SECOND = 100;

  private ThreadCpu() {}

  /** CPU time (user and system) of {@code pid}'s live threads whose name {@code selects}. */
  public static Optional<Duration> of(long pid, Predicate<String> selects) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return Optional.empty();
    }
    long ticks = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        ticks += ticks(thread, selects);
      }
    } catch (IOException e) {
      return Optional.empty(); // the process ended
    }
    return Optional.of(Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND));
  }

  private static long ticks(Path thread, Predicate<String> selects) {
    try {
      if (!selects.test(Files.readString(thread.resolve("comm")).strip())) {
        return 0;
      }
      String stat = Files.readString(thread.resolve("stat"));
      // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException gone) {
      return 0; // the thread ended between the listing and the read
    }
  }
}
