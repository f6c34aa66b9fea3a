package dev.hotpath.local.bench;

import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import dev.hotpath.local.flags.DatastoreFlags;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.flags.UsageException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench datastore}: the in-process emulator driven by the real google-cloud-datastore client
 * and by a load generator ({@link DatastoreOperations}); single-entity commits/s and lookups/s with
 * latency percentiles, per transport and client, all in one run so that they are compared under the
 * same machine load.
 *
 * <p>The client's default transport (HttpURLConnection) keeps only {@code http.maxConnections}
 * (default 5) idle connections per host, so with more threads most calls would open a new TCP
 * connection; the benchmark raises that property to the thread count unless it is set already.
 * Besides throughput it reports process CPU per operation (client and emulator together), which
 * stays comparable on a busy machine, and the JIT compiler's time within the measured seconds: a
 * large value means the warm-up was too short and the CPU per operation includes compiling.
 */
public final class DatastoreBenchmark implements Benchmark {
  private static final Set<String> VALUED =
      Set.of(
          "duration-s",
          "warmup-s",
          "threads",
          "keys",
          "only",
          "transport",
          "data-dir",
          "fsync",
          "against",
          "rounds",
          "in-flight",
          "client");

  private final Class<?> localMain;

  /**
   * @param localMain hotpath-local's entry point, which {@code --against} starts with {@code
   *     datastore} in a child JVM (this layer does not know the commands)
   */
  public DatastoreBenchmark(Class<?> localMain) {
    this.localMain = localMain;
  }

  @Override
  public String name() {
    return "datastore";
  }

  @Override
  public String summary() {
    return "emulator + real client or load generator: single-entity commits/s and lookups/s,"
        + " p50/p99, per transport";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar bench datastore [FLAGS]

        Starts the Datastore emulator in-process and drives it: single-entity commits (each an
        upsert of a new key) and single-key lookups of existing entities, over every chosen
        transport and client in the same run. All of them are warmed up first, then each is
        measured.

          --transport T    http, grpc or both (default), all on the emulator's one port
          --client C       library (the real google-cloud-datastore client: what an application
                           sees), generator (a load generator cheap per call, so that the server's
                           capacity shows: raw keep-alive HTTP/1.1 posting the same protobufs, or
                           the API's generated async gRPC stub with --in-flight calls outstanding)
                           or both (default)
          --duration-s N   measured seconds per operation, transport and client (default 10)
          --warmup-s N     unmeasured seconds per operation, transport and client, all before the
                           first measurement (default 8: on two busy cores the JIT needs that long)
          --threads N      threads of the blocking clients (library; generator over http), one
                           call in flight each (default 32)
          --in-flight N    calls outstanding for the generator over grpc (default 64)
          --keys N         distinct entities the lookups read (default 10000)
          --only PHASE     run just one phase: commit or lookup (default both)
          --data-dir DIR   persist to DIR (an empty or scratch directory) instead of memory only
          --fsync POLICY   with --data-dir: always (default) or never
          --against B      compare with Google's emulator B (google-datastore or google-firestore):
                           ours and it each run as a child process, the same clients drive both,
                           alternating A B A B per operation, transport and client; prints every
                           run, then medians, each server's own CPU per operation and ours/theirs
          --rounds N       with --against: A B repetitions (default 3)
        """;
  }

  @Override
  public int run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, VALUED, Set.of());
    int duration = flags.positive("duration-s", 10);
    int warmup = flags.integer("warmup-s", 8);
    int threads = flags.positive("threads", 32);
    int inFlight = flags.positive("in-flight", 64);
    int keys = flags.positive("keys", 10_000);
    String only = flags.string("only", "");
    List<DatastoreOperations.Transport> transports =
        DatastoreOperations.Transport.parse(flags.string("transport", "both"));
    List<DatastoreOperations.Client> clients =
        DatastoreOperations.Client.parse(flags.string("client", "both"));
    if (!only.isEmpty() && !only.equals("commit") && !only.equals("lookup")) {
      throw new UsageException("--only must be commit or lookup, got '" + only + "'");
    }
    if (warmup < 0) {
      throw new UsageException("--warmup-s must not be negative");
    }
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", Integer.toString(threads));
    }
    if (flags.has("against")) {
      DatastoreBackend against;
      try {
        against = DatastoreBackend.parse(flags.string("against", null));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--against: " + e.getMessage());
      }
      if (!against.isGoogle() || !only.isEmpty() || flags.has("data-dir")) {
        throw new UsageException(
            "--against takes google-datastore or google-firestore, without --only or --data-dir");
      }
      new EmulatorComparison(
              localMain,
              against,
              threads,
              inFlight,
              duration,
              warmup,
              flags.positive("rounds", 3),
              keys,
              DatastoreOperations.Driver.every(transports, clients))
          .run();
      return 0;
    }
    DatastoreEmulator.Builder builder = DatastoreEmulator.builder().port(0);
    if (flags.has("data-dir")) {
      builder.dataDir(Path.of(flags.string("data-dir", null)));
      builder.fsync(DatastoreFlags.fsync(flags.string("fsync", "always")));
    }
    try (DatastoreEmulator emulator = builder.build().start()) {
      if (!only.equals("commit")) {
        DatastoreOperations.seed(emulator.host(), keys);
      }
      AtomicLong written = new AtomicLong();
      List<Run> runs = new ArrayList<>();
      List<DatastoreOperations> opened = new ArrayList<>();
      for (DatastoreOperations.Driver driver :
          DatastoreOperations.Driver.every(transports, clients)) {
        DatastoreOperations operations =
            DatastoreOperations.over(emulator.host(), driver, threads, inFlight, keys, written);
        opened.add(operations);
        for (DatastoreOperations.Operation operation : DatastoreOperations.Operation.values()) {
          if (only.isEmpty() || only.equals(operation.name().toLowerCase(Locale.ROOT))) {
            runs.add(new Run(operation, driver, operations));
          }
        }
      }
      // Commits first, then lookups, as the table lists them.
      runs.sort(Comparator.comparing(Run::operation));
      // Every run is warmed up before any is measured: on two cores the JIT compiles the client's
      // paths for tens of seconds, and a run measured while it still compiles would pay for that.
      for (Run run : runs) {
        System.err.println("bench datastore: warm-up " + run.label() + ", " + warmup + " s");
        run.operation.of(run.operations).run(warmup);
      }
      ResultTable table =
          new ResultTable(
              "operation",
              "transport",
              "client",
              "in flight",
              "seconds",
              "ops",
              "ops/s",
              "p50 ms",
              "p99 ms",
              "errors",
              "cpu µs/op",
              "jit ms");
      for (Run run : runs) {
        measured(table, run, duration);
      }
      System.out.print(table);
      for (DatastoreOperations operations : opened) {
        operations.resources().close();
      }
    }
    return 0;
  }

  /** One measured line: an operation over a transport, driven by a client. */
  private record Run(
      DatastoreOperations.Operation operation,
      DatastoreOperations.Driver driver,
      DatastoreOperations operations) {
    String label() {
      return operation.label + " over " + driver.label();
    }
  }

  private static void measured(ResultTable table, Run run, int duration) throws Exception {
    System.err.println(
        "bench datastore: "
            + run.label()
            + ", "
            + run.operations.inFlight()
            + " in flight, "
            + duration
            + " s");
    long cpuBefore = processCpuNanos();
    long jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    DatastoreOperations.Phase result = run.operation.of(run.operations).run(duration);
    long cpu = processCpuNanos() - cpuBefore;
    long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore;
    Percentiles latency = new Percentiles(result.nanos());
    table.row(
        run.operation.label,
        run.driver.transport().label,
        run.driver.client().label,
        run.operations.inFlight(),
        duration,
        latency.count(),
        String.format("%.0f", latency.count() / (double) duration),
        String.format("%.2f", latency.millis(50)),
        String.format("%.2f", latency.millis(99)),
        result.errors(),
        String.format("%.0f", cpu / 1000.0 / Math.max(1, latency.count())),
        jit);
  }

  /**
   * CPU time of this whole process (client and emulator together): divided by the operations it is
   * the cost per operation, which unlike ops/s does not depend on what else the machine runs.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
