package dev.hotpath.local.stack;

import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import dev.hotpath.emulators.datastore.store.DataDirInUseException;
import dev.hotpath.local.flags.DatastoreFlags;
import dev.hotpath.shared.config.Settings;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Datastore emulator of the local stack; exports {@code DATASTORE_EMULATOR_HOST}. */
public final class DatastorePart implements StackPart {
  private final int port;
  private final boolean productionLimits;
  private final Optional<Path> dataDir;
  private final Optional<Path> indexes;
  private final Duration commitLatency;
  private DatastoreEmulator emulator;

  /**
   * With {@code indexes} (an indexes.json), composite indexes are enforced for the functions'
   * settings; {@code commitLatency} is added to every commit (zero: none).
   */
  public DatastorePart(
      int port,
      boolean productionLimits,
      Optional<Path> dataDir,
      Optional<Path> indexes,
      Duration commitLatency) {
    this.port = port;
    this.productionLimits = productionLimits;
    this.dataDir = dataDir;
    this.indexes = indexes;
    this.commitLatency = commitLatency;
  }

  @Override
  public void start(Map<String, String> env) throws Exception {
    DatastoreEmulator.Builder builder =
        DatastoreEmulator.builder()
            .port(port)
            .writeLimits(productionLimits ? WriteLimits.production() : WriteLimits.unlimited())
            .commitLatency(commitLatency);
    dataDir.ifPresent(builder::dataDir);
    if (indexes.isPresent()) {
      builder.indexes(DatastoreFlags.indexes(indexes.get(), env));
    }
    try {
      emulator = builder.build().start();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof DataDirInUseException inUse) {
        throw new StartupException(
            "--data-dir "
                + inUse.dir()
                + ": another emulator is using it (an up or datastore command with the same"
                + " directory?); stop that one, or give another directory");
      }
      throw e;
    }
    env.put(Settings.EMULATOR_HOST.name(), emulator.host());
  }

  @Override
  public List<String> banner() {
    return List.of(
        "Datastore emulator: http://"
            + emulator.host()
            + (productionLimits ? "  (production limits: ~1 write/s per entity)" : "")
            + (commitLatency.isZero() ? "" : "  (+" + commitLatency.toMillis() + " ms per commit)")
            + dataDir.map(d -> "  (data in " + d + ")").orElse("")
            + indexes.map(f -> "  (indexes of " + f + " enforced)").orElse(""),
        "  export " + Settings.EMULATOR_HOST.name() + "=" + emulator.host());
  }

  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
  }
}
