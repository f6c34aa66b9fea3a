package dev.hotpath.local.flags;

import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.emulators.datastore.store.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The Datastore emulator's flags that the {@code datastore} and {@code up} commands and the
 * benchmarks share, read one way for all of them.
 */
public final class DatastoreFlags {
  private DatastoreFlags() {}

  /** {@code --commit-latency-ms}: zero or more milliseconds (default 0). */
  public static Duration commitLatency(Flags flags) throws UsageException {
    int millis = flags.integer("commit-latency-ms", 0);
    if (millis < 0) {
      throw new UsageException("--commit-latency-ms must be 0 or more, got " + millis);
    }
    return Duration.ofMillis(millis);
  }

  /** The index definitions of {@code file}, kinds lists resolved against {@code env}. */
  public static CompositeIndexes indexes(Path file, Map<String, String> env) throws UsageException {
    try {
      return CompositeIndexes.read(file, env);
    } catch (IOException | RuntimeException e) {
      throw new UsageException(
          "--indexes: cannot read index definitions from " + file + ": " + e.getMessage());
    }
  }

  /** {@code --fsync}: always (flush before acknowledging a commit) or never. */
  public static FsyncPolicy fsync(String value) throws UsageException {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "always" -> FsyncPolicy.ALWAYS;
      case "never" -> FsyncPolicy.NEVER;
      default -> throw new UsageException("--fsync must be always or never, got '" + value + "'");
    };
  }
}
