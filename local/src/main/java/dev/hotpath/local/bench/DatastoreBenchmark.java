package dev.hotpath.local.bench;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import dev.hotpath.emulators.datastore.grpc.EmulatorGrpcRpc;
import dev.hotpath.local.flags.DatastoreFlags;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.flags.UsageException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench datastore}: the in-process emulator driven by the real google-cloud-datastore client
 * from many threads; single-entity commits/s and lookups/s with latency percentiles, per client
 * transport, all in one run so that the transports are compared under the same machine load.
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
          "in-flight");

  /**
   * Entities per commit while creating the entities the lookup phase reads (the production cap).
   */
  private static final int SEED_BATCH = 500;

  private final Class<?> localMain;

  /**
   * @param localMain hotpath-local's entry point, which {@code --against} starts with {@code
   *     datastore} in a child JVM (this layer does not know the commands)
   */
  public DatastoreBenchmark(Class<?> localMain) {
    this.localMain = localMain;
  }

  /** The project every benchmark request names. */
  static final String PROJECT_ID = "bench";

  /** The kind of the entities {@link #seed} writes and the lookups read. */
  static final String SEEDED_KIND = "Bench";

  /** The kind of the entities the commits write, each under a key never written before. */
  static final String WRITTEN_KIND = "Written";

  static String seededKeyName(int i) {
    return "k" + i;
  }

  static String freshKeyName(long n) {
    return "w" + n;
  }

  /** How the load reaches the emulator. */
  enum Transport {
    /**
     * The client's default: google-http-client over the JDK's HttpURLConnection, to the HTTP edge.
     */
    HTTP("http"),
    /**
     * The client's gRPC stub (HTTP/2 cleartext, one channel) to the same port, via {@link
     * EmulatorGrpcRpc}.
     */
    GRPC("grpc"),
    /**
     * Not the client library: the API's generated asynchronous gRPC stub with many calls in flight
     * ({@link PipelinedGrpcCalls}), a load generator cheap enough that the server's capacity shows.
     */
    GRPC_PIPELINED("grpc-pipelined");

    final String label;

    Transport(String label) {
      this.label = label;
    }

    /** The library client over this transport (not for {@link #GRPC_PIPELINED}). */
    private Datastore client(String host) {
      DatastoreOptions.Builder options =
          switch (this) {
            case HTTP ->
                DatastoreOptions.newBuilder()
                    .setHost(host)
                    .setCredentials(NoCredentials.getInstance());
            case GRPC -> EmulatorGrpcRpc.optionsFor(host);
            case GRPC_PIPELINED ->
                throw new IllegalStateException("grpc-pipelined is not the library client");
          };
      return options.setProjectId(PROJECT_ID).build().getService();
    }

    static List<Transport> parse(String spec) throws UsageException {
      if (spec.equals("all")) {
        return List.of(values());
      }
      List<Transport> chosen = new ArrayList<>();
      for (String label : spec.split(",", -1)) {
        Transport transport =
            Arrays.stream(values())
                .filter(t -> t.label.equals(label.strip()))
                .findFirst()
                .orElse(null);
        if (transport == null) {
          throw new UsageException(
              "--transport takes all or a comma-separated list of http, grpc and grpc-pipelined,"
                  + " got '"
                  + spec
                  + "'");
        }
        if (!chosen.contains(transport)) {
          chosen.add(transport);
        }
      }
      return List.copyOf(chosen);
    }
  }

  /** The measured operations. */
  enum Operation {
    COMMIT("commit (1 entity)"),
    LOOKUP("lookup (1 key)");

    final String label;

    Operation(String label) {
      this.label = label;
    }

    Load over(Operations operations) {
      return this == COMMIT ? operations.commit() : operations.lookup();
    }
  }

  /** Runs one operation for the given seconds, recording each call. */
  @FunctionalInterface
  interface Load {
    Phase run(int seconds) throws Exception;
  }

  /**
   * The two measured operations over one transport to one server, how many calls each keeps in
   * flight, and what to close afterwards.
   */
  record Operations(Load commit, Load lookup, int inFlight, AutoCloseable resources) {
    /**
     * @param threads the library client's threads, one call in flight each
     * @param inFlight the pipelined stub's calls in flight
     * @param keys how many entities {@link #seed} wrote, which the lookups read
     * @param written counts the commits' fresh keys, shared by every transport to one server
     */
    static Operations over(
        Transport transport, String host, int threads, int inFlight, int keys, AtomicLong written) {
      if (transport == Transport.GRPC_PIPELINED) {
        PipelinedGrpcCalls calls = new PipelinedGrpcCalls(host, inFlight);
        return new Operations(calls.commits(written), calls.lookups(keys), inFlight, calls);
      }
      Datastore client = transport.client(host);
      KeyFactory fresh = client.newKeyFactory().setKind(WRITTEN_KIND);
      KeyFactory seeded = client.newKeyFactory().setKind(SEEDED_KIND);
      Key[] pool = new Key[keys];
      Arrays.setAll(pool, i -> seeded.newKey(seededKeyName(i)));
      Runnable commit =
          () ->
              client.put(
                  Entity.newBuilder(fresh.newKey(freshKeyName(written.incrementAndGet())))
                      .set("n", ThreadLocalRandom.current().nextLong())
                      .build());
      Runnable lookup =
          () -> {
            if (client.get(pool[ThreadLocalRandom.current().nextInt(pool.length)]) == null) {
              throw new IllegalStateException("a seeded entity is missing");
            }
          };
      return new Operations(
          seconds -> measure(commit, threads, seconds),
          seconds -> measure(lookup, threads, seconds),
          threads,
          // the HTTP client holds no channel (its close() is unsupported)
          transport == Transport.GRPC ? client::close : () -> {});
    }
  }

  @Override
  public String name() {
    return "datastore";
  }

  @Override
  public String summary() {
    return "emulator + real client: single-entity commits/s and lookups/s, p50/p99, per transport";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar bench datastore [FLAGS]

        Starts the Datastore emulator in-process and drives it with the real client: single-entity
        commits (each an upsert of a new key) and single-key lookups of existing entities, each
        over every chosen transport in the same run. All of them are warmed up first, then each is
        measured.

          --transport T    all (default) or a comma-separated list of: http (the client's
                           default, HttpURLConnection), grpc (the client's gRPC transport), and
                           grpc-pipelined (not the client library: the API's generated async gRPC
                           stub with --in-flight calls outstanding, a load generator cheap enough
                           that the server's capacity shows); all on the emulator's one port
          --duration-s N   measured seconds per operation and transport (default 10)
          --warmup-s N     unmeasured seconds per operation and transport, all before the first
                           measurement (default 8: on two busy cores the JIT needs that long)
          --threads N      client threads for http and grpc, one call each (default 32)
          --in-flight N    calls outstanding for grpc-pipelined (default 64)
          --keys N         distinct entities the lookups read (default 10000)
          --only PHASE     run just one phase: commit or lookup (default both)
          --data-dir DIR   persist to DIR (an empty or scratch directory) instead of memory only
          --fsync POLICY   with --data-dir: always (default) or never
          --against B      compare with Google's emulator B (google-datastore or google-firestore):
                           ours and it each run as a child process, the same client drives both,
                           alternating A B A B per operation and transport; prints every run,
                           then medians, each server's own CPU per operation and ours/theirs
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
    List<Transport> transports = Transport.parse(flags.string("transport", "all"));
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
              transports)
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
        seed(emulator.host(), keys);
      }
      AtomicLong written = new AtomicLong();
      List<Operations> opened = new ArrayList<>();
      for (Transport transport : transports) {
        opened.add(Operations.over(transport, emulator.host(), threads, inFlight, keys, written));
      }
      List<Run> runs = new ArrayList<>();
      for (Operation operation : Operation.values()) {
        if (only.isEmpty() || only.equals(operation.name().toLowerCase(Locale.ROOT))) {
          for (int i = 0; i < transports.size(); i++) {
            runs.add(new Run(operation, transports.get(i), opened.get(i)));
          }
        }
      }
      // Every run is warmed up before any is measured: on two cores the JIT compiles the client's
      // paths for tens of seconds, and a run measured while it still compiles would pay for that.
      for (Run run : runs) {
        System.err.println(
            "bench datastore: warm-up "
                + run.operation.label
                + " over "
                + run.transport.label
                + ", "
                + warmup
                + " s");
        run.load().run(warmup);
      }
      ResultTable table =
          new ResultTable(
              "operation",
              "transport",
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
      for (Operations operations : opened) {
        operations.resources().close();
      }
    }
    return 0;
  }

  /**
   * Writes the {@code keys} entities the lookups read, in commits of {@value #SEED_BATCH}, over
   * HTTP: every transport's lookups then find the same entities.
   */
  static void seed(String host, int keys) {
    Datastore client = Transport.HTTP.client(host);
    KeyFactory factory = client.newKeyFactory().setKind(SEEDED_KIND);
    List<Entity> batch = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      batch.add(Entity.newBuilder(factory.newKey(seededKeyName(i))).set("n", i).build());
      if (batch.size() == SEED_BATCH || i == keys - 1) {
        client.put(batch.toArray(new Entity[0]));
        batch.clear();
      }
    }
  }

  /** One measured line: an operation over a transport. */
  private record Run(Operation operation, Transport transport, Operations operations) {
    Load load() {
      return operation.over(operations);
    }
  }

  private static void measured(ResultTable table, Run run, int duration) throws Exception {
    System.err.println(
        "bench datastore: "
            + run.operation.label
            + " over "
            + run.transport.label
            + ", "
            + run.operations.inFlight()
            + " in flight, "
            + duration
            + " s");
    long cpuBefore = processCpuNanos();
    long jitBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    Phase result = run.load().run(duration);
    long cpu = processCpuNanos() - cpuBefore;
    long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitBefore;
    Percentiles latency = new Percentiles(result.nanos());
    table.row(
        run.operation.label,
        run.transport.label,
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

  record Phase(long[] nanos, long errors) {}

  private static Phase measure(Runnable op, int threads, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong errors = new AtomicLong();
    ExecutorService workers = Executors.newFixedThreadPool(threads);
    try {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            workers.submit(
                () -> {
                  long[] samples = new long[1024];
                  int n = 0;
                  while (System.nanoTime() < deadline) {
                    long start = System.nanoTime();
                    try {
                      op.run();
                    } catch (RuntimeException e) {
                      if (errors.getAndIncrement() == 0) {
                        System.err.println("bench datastore: first error: " + e);
                      }
                      continue;
                    }
                    if (n == samples.length) {
                      samples = Arrays.copyOf(samples, n * 2);
                    }
                    samples[n++] = System.nanoTime() - start;
                  }
                  return Arrays.copyOf(samples, n);
                }));
      }
      List<long[]> parts = new ArrayList<>();
      int total = 0;
      for (Future<long[]> f : futures) {
        long[] part = f.get();
        parts.add(part);
        total += part.length;
      }
      long[] all = new long[total];
      int at = 0;
      for (long[] part : parts) {
        System.arraycopy(part, 0, all, at, part.length);
        at += part.length;
      }
      return new Phase(all, errors.get());
    } finally {
      workers.shutdownNow();
    }
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
