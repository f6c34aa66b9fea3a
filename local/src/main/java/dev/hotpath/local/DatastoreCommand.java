package dev.hotpath.local;

import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.emulators.datastore.engine.Faults;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import dev.hotpath.local.flags.DatastoreFlags;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.flags.UsageException;
import dev.hotpath.shared.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code datastore}: runs the Datastore emulator until interrupted. */
final class DatastoreCommand implements Command {
  private static final Set<String> VALUED =
      Set.of(
          "port",
          "project",
          "faults",
          "data-dir",
          "fsync",
          "writes-per-second",
          "burst",
          "limit-scope",
          "transaction-idle-timeout-s",
          "indexes",
          "commit-latency-ms");
  private static final Set<String> SWITCHES = Set.of("production-limits");

  @Override
  public String name() {
    return "datastore";
  }

  @Override
  public String summary() {
    return "run the Datastore emulator (the real client connects via DATASTORE_EMULATOR_HOST)";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar datastore [FLAGS]

        Runs a Datastore (Firestore in Datastore mode) emulator on loopback until interrupted.

          --port N                 port to listen on (default 8081; 0 picks a free one); serves
                                   HTTP/1.1 and gRPC (HTTP/2 cleartext) alike, so every client
                                   reaches it with DATASTORE_EMULATOR_HOST alone
          --project ID             project id printed for DATASTORE_PROJECT_ID (default hotpath-local);
                                   the emulator serves any project, each isolated
          --production-limits      limit writes per entity like production; beyond the limit commits
                                   fail with ABORTED "too much contention on these datastore entities..."
          --writes-per-second X    sustained writes per entity with --production-limits (default 1)
          --burst X                writes a rested entity admits at once (default 2)
          --limit-scope S          entity (default) or entity-group: a write counts against its root
                                   entity's budget
          --faults SPEC            injected faults, e.g. unavailable=0.05,deadline-exceeded=0.02,
                                   lost-response=0.05,seed=42 (default none)
          --data-dir DIR           keep data in DIR across restarts (default: memory only)
          --fsync always|never     with --data-dir: flush to disk before acknowledging a commit
                                   (always, default) or leave it to the OS (never)
          --transaction-idle-timeout-s N  seconds an unused transaction lives (default 60)
          --commit-latency-ms N    add N ms to every commit, before it is applied, to model a
                                   production round trip (default 0); commits still overlap
          --indexes FILE           enforce composite indexes like production: a query needing one
                                   not defined in FILE (terraform/indexes.json) fails with
                                   FAILED_PRECONDITION "no matching index found"; "kindsFrom" entries
                                   take their kinds from this process's environment (e.g.
                                   HOTPATH_ALLOWED_KINDS=Message)
        """;
  }

  @Override
  public int run(String[] args) throws Exception {
    Flags flags = parse(args);
    DatastoreEmulator emulator = start(flags);
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "datastore-shutdown"));
    System.out.println("export " + Settings.EMULATOR_HOST.name() + "=" + emulator.host());
    System.out.println("export DATASTORE_PROJECT_ID=" + flags.string("project", "hotpath-local"));
    System.out.flush();
    new CountDownLatch(1)
        .await(); // serve until the process is interrupted; the hook closes cleanly
    return 0;
  }

  /** Starts the emulator the flags describe. */
  static DatastoreEmulator start(Flags flags) throws Exception {
    if (!flags.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + flags.positional().get(0) + "'");
    }
    DatastoreEmulator.Builder builder = DatastoreEmulator.builder().port(flags.port("port", 8081));
    builder.writeLimits(limits(flags));
    try {
      builder.faults(Faults.parse(flags.string("faults", "none")));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--faults: " + e.getMessage());
    }
    if (flags.has("data-dir")) {
      builder.dataDir(Path.of(flags.string("data-dir", null)));
    }
    builder.fsync(DatastoreFlags.fsync(flags.string("fsync", "always")));
    int idle = flags.integer("transaction-idle-timeout-s", 60);
    if (idle <= 0) {
      throw new UsageException("--transaction-idle-timeout-s must be positive");
    }
    builder.transactionIdleTimeout(Duration.ofSeconds(idle));
    builder.commitLatency(DatastoreFlags.commitLatency(flags));
    if (flags.has("indexes")) {
      builder.indexes(
          DatastoreFlags.indexes(Path.of(flags.string("indexes", null)), System.getenv()));
    }
    return builder.build().start();
  }

  static Flags parse(String[] args) throws UsageException {
    return Flags.parse(args, VALUED, SWITCHES);
  }

  private static WriteLimits limits(Flags flags) throws UsageException {
    boolean tuned =
        flags.has("writes-per-second") || flags.has("burst") || flags.has("limit-scope");
    if (!flags.has("production-limits")) {
      if (tuned) {
        throw new UsageException(
            "--writes-per-second, --burst and --limit-scope need --production-limits");
      }
      return WriteLimits.unlimited();
    }
    try {
      return WriteLimits.builder()
          .writesPerSecond(flags.decimal("writes-per-second", 1))
          .burst(flags.decimal("burst", 2))
          .scope(scope(flags.string("limit-scope", "entity")))
          .build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static WriteLimits.Scope scope(String value) throws UsageException {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "entity" -> WriteLimits.Scope.ENTITY;
      case "entity-group" -> WriteLimits.Scope.ENTITY_GROUP;
      default ->
          throw new UsageException(
              "--limit-scope must be entity or entity-group, got '" + value + "'");
    };
  }
}
