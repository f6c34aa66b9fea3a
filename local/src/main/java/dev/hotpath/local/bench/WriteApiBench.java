package dev.hotpath.local.bench;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.emulators.datastore.engine.EmulatorStats;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import dev.hotpath.local.flags.DatastoreFlags;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.flags.UsageException;
import dev.hotpath.shared.config.Settings;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The common run of {@code bench counters} and {@code bench groups}: per row a fresh emulator under
 * production write limits (and the given commit latency), N Write API instances (in this JVM or as
 * separate processes) driven over HTTP by closed-loop clients or an open-loop Poisson load, then
 * the stored total checked against the acknowledged count. One row per variant and instance count.
 * Variants: (a) one unsharded entity, no coalescing; (b) sharded, no coalescing; (c) sharded with
 * group commit (the defaults).
 */
final class WriteApiBench {
  static final Set<String> VALUED =
      Set.of(
          "duration-s",
          "warmup-s",
          "clients",
          "shards",
          "variants",
          "instances",
          "rate",
          "senders",
          "seed",
          "commit-latency-ms",
          "functions-jar",
          "repeat",
          "url",
          "counter");
  static final Set<String> SWITCHES = Set.of("processes", "direct", "cold", "settle");

  static final String FLAGS_HELP =
      """
        --duration-s N         measured seconds per row (default 30)
        --warmup-s N           seconds of the same load on the same counter or group before each
                               row's measurement: the JIT has compiled every instance's hot paths
                               and the shards have grown (default 0); acknowledged and stored
                               count the warm-up too
        --cold                 measure a fresh counter or group from its first write (any warm-up
                               runs on another one, so the JIT is warm but the shards are not)
        --settle               with --processes: after --warmup-s, keep warming in 5 s steps
                               (at most 120 s more) until the JIT compilers used under 5 % of the
                               processes' CPU in a step, so that CPU and rates measure the request
                               path, not compilation (four one-CPU JVMs on a busy host are still
                               compiling a minute in); the JIT % column shows what was left
        --repeat N             run every row N times, interleaved (rep 1: each instance count's
                               variants, rep 2: the same, ...), then print the medians and the
                               ratio of the last instance count to the first per run (default 1)
        --variants LIST        which of a,b,c,t,g,m to run (default a,b,c); t, g and m are (c)
                               with one setting changed, to compare in one run: t with
                               HOTPATH_VERSIONED_WRITES=off (every flush a transaction, as before
                               versioned writes), g with HOTPATH_DATASTORE_TRANSPORT=grpc, m with
                               HOTPATH_METRICS=off (no metrics recorded or logged)
        --shards N             fixed shard count of variant (b) (default 64)
        --instances LIST       Write API instance counts, one row each, e.g. 1,10,100 (default 1);
                               each instance has its own Datastore client, committers and shard
                               planner; client (or arrival) i talks to instance i mod N; in one
                               JVM they share up to 8 invokers (HTTP servers and their threads)
        --processes            run the instances as separate JVMs, each the deployable function
                               under the Functions Framework invoker (keep N <= 4 on 2 cores);
                               default: all in this JVM
        --direct               in this JVM, hand each request to its instance's service()
                               method without HTTP (the function's whole code runs; the server
                               and sockets do not): on 2 cores the invoker's Jetty costs more CPU
                               per request than the function, so use it to offer an open loop
                               more than the machine can serve over HTTP; reads go over HTTP
        --functions-jar FILE   the deployable jar --processes serves (default: the
                               functions/target/hotpath-functions.jar beside this jar's build)
        --clients N            closed loop: concurrent clients, each sending its next request when
                               the last is answered (default 64)
        --rate R               open loop instead: R requests/s offered, Poisson arrivals, sent by
                               a bounded pool of senders; an arrival no sender takes within 1 s is
                               counted as late and not sent; latency counts from when it was due
        --senders N            open loop: the sender pool, the most requests in flight (default
                               4096; needs rate x latency)
        --seed N               open loop: the arrivals' random seed (default 42; every row the same)
        --commit-latency-ms N  add N ms to every Datastore commit, a production round trip (default 0)
        --url URL              bench counters only: drive the Write API already serving at URL
                               (http://HOST:PORT, e.g. up's, whose banner prints it) instead of
                               starting an emulator and instances; one row, one counter. It sends
                               REAL increments to whatever serves there. Runs with --duration-s,
                               --warmup-s, --clients or --rate/--senders/--seed; refuses the flags
                               that configure what it would start (--processes, --direct,
                               --instances but 1, --variants but c, --shards,
                               --commit-latency-ms, --functions-jar, --repeat but 1, --cold,
                               --settle)
        --counter NAME         with --url: the counter to increment, which may already hold a
                               value; the check counts on nothing else writing it meanwhile
                               (default a fresh bench-YYYYMMDD-HHMMSS name)

      Every row gets a fresh emulator (same settings) and a fresh counter or group name.
      Columns: acked % is of the offered requests (late ones included); calls (Datastore round
      trips of any method), writes and commits per acknowledged request and aborted % (aborted /
      (commits + aborted)) are the emulator's counts during the load; CPU is the Write API
      processes' own (--processes only) per acknowledged request and per commit (a flush);
      shards is the count stored at the end; check compares stored with acknowledged. Progress
      goes to stderr every 5 s. With --url, calls, writes, commits, CPU, JIT and aborted print -
      (they need the emulator or processes this command starts), shards and stored are read with
      GET /v1/counters/NAME, and stored is what the counter gained since it was read before the
      load (a line under the table gives its value and shards before and after).
      """;

  /** What is written, and how the stored result and shard count are read back. */
  interface Workload {
    /** The unit in column names: inc, append. */
    String unit();

    /** The write one request sends to the hot counter or group {@code name}. */
    WriteRequest write(String name);

    /** The status that acknowledges a write. */
    int acknowledgedStatus();

    /** What {@code name} holds once the load is over. */
    Stored stored(HttpJson http, Datastore datastore, String name) throws Exception;

    /**
     * Whether {@link #stored} reads over HTTP alone (its {@code datastore} may be null), so that it
     * works against a Write API at {@code --url}, whose Datastore this command cannot reach.
     */
    boolean storedOverHttp();
  }

  /** A JSON POST of {@code json} to {@code path}. */
  record WriteRequest(String path, byte[] json) {
    WriteRequest(String path, String json) {
      this(path, json.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * @param count acknowledged-or-maybe-applied writes (e.g. the counter's value)
   * @param shards the stored shard count
   */
  record Stored(long count, long shards) {}

  record Variant(String id, String label, Map<String, String> settings) {}

  /** Closed loop with {@code clients}, or open loop at {@code rate} per second. */
  record Load(int clients, double rate, int senders, long seed) {
    boolean open() {
      return rate > 0;
    }

    LoadResult run(WriteApiFleet fleet, Workload workload, String name, Duration duration)
        throws Exception {
      int ok = workload.acknowledgedStatus();
      WriteRequest write = workload.write(name);
      if (open()) {
        return OpenLoopLoad.run(
            rate,
            duration,
            senders,
            seed,
            i -> LoadOutcome.of(fleet.post(i, write.path(), write.json()), ok));
      }
      return ClosedLoopLoad.run(
          clients, duration, c -> LoadOutcome.of(fleet.post(c, write.path(), write.json()), ok));
    }

    String describe() {
      return open()
          ? String.format(Locale.ROOT, "open loop, %.0f/s offered", rate)
          : clients + " closed-loop clients";
    }
  }

  static int run(String[] args, WriteLimits limits, Workload workload) throws Exception {
    System.out.print(measure(args, limits, workload));
    return 0;
  }

  /** Runs every row the flags ask for; the table and the (c)/(a) ratios, ready to print. */
  static String measure(String[] args, WriteLimits limits, Workload workload) throws Exception {
    Flags flags = Flags.parse(args, VALUED, SWITCHES);
    if (!flags.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + flags.positional().get(0) + "'");
    }
    if (flags.has("url")) {
      return RunningWriteApiBench.measure(flags, workload);
    }
    if (flags.has("counter")) {
      throw new UsageException(
          "--counter names the counter at --url; without --url every row writes a fresh one");
    }
    Duration duration = duration(flags);
    int warmupSeconds = warmupSeconds(flags);
    List<Variant> variants =
        variants(flags.string("variants", "a,b,c"), flags.positive("shards", 64));
    List<Integer> instanceCounts = instanceCounts(flags.string("instances", "1"));
    Load load = load(flags);
    Duration commitLatency = DatastoreFlags.commitLatency(flags);
    boolean processes = flags.has("processes");
    boolean direct = flags.has("direct");
    if (processes && direct) {
      throw new UsageException(
          "--processes (separate JVMs over HTTP) and --direct (calls in this JVM) exclude each other");
    }
    Path functionsJar = processes ? functionsJar(flags) : null;
    if (System.getProperty("http.maxConnections") == null) {
      // The in-process instances' Datastore clients (HttpURLConnection) keep only 5 idle
      // connections per host by default; without coalescing (variant b) every request is a commit.
      int concurrency = load.open() ? load.senders() : load.clients();
      System.setProperty("http.maxConnections", Integer.toString(Math.max(128, concurrency * 2)));
    }
    int repeat = flags.positive("repeat", 1);
    boolean cold = flags.has("cold");
    boolean settle = flags.has("settle");
    if (settle && !processes) {
      throw new UsageException("--settle needs --processes (it reads their compiler threads)");
    }
    String unit = workload.unit();
    ResultTable table = table(unit);
    List<Measured> measured = new ArrayList<>();
    for (int rep = 1; rep <= repeat; rep++) {
      for (int count : instanceCounts) {
        for (Variant variant : variants) {
          String name = "bench-hot-" + variant.id + "-" + count + (repeat > 1 ? "-r" + rep : "");
          System.err.printf(
              "running (%s) %s: %d instance(s) %s, %s, commit latency %d ms, %d s%s%s...%n",
              variant.id,
              variant.label,
              count,
              processes ? "as processes" : direct ? "in-process, called directly" : "in-process",
              load.describe(),
              commitLatency.toMillis(),
              duration.toSeconds(),
              cold ? ", cold" : "",
              repeat > 1 ? ", run " + rep + " of " + repeat : "");
          Measured m =
              measureRow(
                  new Row(variant, count, rep, name),
                  new RowSetup(
                      limits,
                      commitLatency,
                      processes,
                      direct,
                      functionsJar,
                      load,
                      workload,
                      duration,
                      warmupSeconds,
                      cold,
                      settle));
          table.row(m.cells());
          measured.add(m);
        }
      }
    }
    StringBuilder report = new StringBuilder(table.toString());
    if (repeat > 1) {
      report.append(String.format(Locale.ROOT, "%nMedians of %d runs:%n", repeat));
      report.append(Measured.medians(measured, unit));
      report.append(Measured.scaleOut(measured, instanceCounts));
    }
    for (int count : instanceCounts) {
      Double a = Measured.medianRate(measured, "a", count);
      Double c = Measured.medianRate(measured, "c", count);
      if (a != null && c != null && a > 0) {
        report.append(
            String.format(Locale.ROOT, "%n(c)/(a) with %d instance(s) = %.0fx%n", count, c / a));
      }
    }
    return report.toString();
  }

  /** {@code --duration-s}: the measured seconds. */
  static Duration duration(Flags flags) throws UsageException {
    return Duration.ofSeconds(flags.positive("duration-s", 30));
  }

  /** {@code --warmup-s}: seconds of load before the measured ones, 0 for none. */
  static int warmupSeconds(Flags flags) throws UsageException {
    int seconds = flags.integer("warmup-s", 0);
    if (seconds < 0) {
      throw new UsageException("--warmup-s must be 0 or more, got " + seconds);
    }
    return seconds;
  }

  /** Which row: variant, instance count, repetition, and the counter or group it writes. */
  private record Row(Variant variant, int count, int rep, String name) {}

  /** What every row of one command shares. */
  private record RowSetup(
      WriteLimits limits,
      Duration commitLatency,
      boolean processes,
      boolean direct,
      Path functionsJar,
      Load load,
      Workload workload,
      Duration duration,
      int warmupSeconds,
      boolean cold,
      boolean settle) {}

  /** One row: a fresh emulator and fleet, the optional warm-up, the measured load, the check. */
  private static Measured measureRow(Row row, RowSetup setup) throws Exception {
    try (DatastoreEmulator emulator =
        DatastoreEmulator.builder()
            .port(0)
            .writeLimits(setup.limits)
            .commitLatency(setup.commitLatency)
            .build()
            .start()) {
      Map<String, String> env = new HashMap<>(row.variant.settings);
      env.put(Settings.EMULATOR_HOST.name(), emulator.host());
      env.put(Settings.PROJECT.name(), "bench-" + row.variant.id);
      env.put(Settings.ALLOWED_KINDS.name(), "Message");
      try (WriteApiFleet fleet =
          setup.processes
              ? WriteApiFleet.processes(row.count, env, setup.functionsJar)
              : setup.direct
                  ? WriteApiFleet.direct(row.count, env)
                  : WriteApiFleet.inProcess(row.count, env)) {
        long warmAcknowledged = 0;
        long warmErrors = 0;
        if (setup.warmupSeconds > 0) {
          // Warm: the same counter or group, so the row measures it in steady state (shards
          // grown, instances settled on their own shards), as a long-lived hot counter runs.
          // Cold: another one, so the JIT is warm but the measured one starts from nothing.
          System.err.printf(
              "  warming up for %d s%s%n",
              setup.warmupSeconds,
              setup.cold ? " on another " + setup.workload.unit() + " target" : "");
          LoadResult warm =
              setup.load.run(
                  fleet,
                  setup.workload,
                  setup.cold ? row.name + "-warm" : row.name,
                  Duration.ofSeconds(setup.warmupSeconds));
          if (!setup.cold) {
            warmAcknowledged = warm.acknowledged();
            warmErrors = warm.errors();
          }
        }
        if (setup.settle) {
          for (LoadResult step : settle(fleet, setup, setup.cold ? row.name + "-warm" : row.name)) {
            if (!setup.cold) {
              warmAcknowledged += step.acknowledged();
              warmErrors += step.errors();
            }
          }
        }
        EmulatorStats before = emulator.stats();
        Optional<Duration> cpuBefore = fleet.cpuTime();
        Optional<Duration> jitBefore = fleet.compilerCpuTime();
        LoadResult r = setup.load.run(fleet, setup.workload, row.name, setup.duration);
        EmulatorStats after = emulator.stats();
        Optional<Duration> cpuAfter = fleet.cpuTime();
        Optional<Duration> jit = fleet.compilerCpuTime().map(a -> a.minus(jitBefore.orElseThrow()));
        Stored stored =
            setup.workload.stored(
                fleet.instance(0), datastore(emulator, env.get(Settings.PROJECT.name())), row.name);
        Optional<Duration> cpu = cpuAfter.map(a -> a.minus(cpuBefore.orElseThrow()));
        return new Measured(
            row.variant.id,
            row.count,
            r,
            cpu,
            jit,
            before,
            after,
            stored,
            row(
                row.variant,
                fleet,
                setup.load,
                r,
                cpu,
                jit,
                before,
                after,
                stored,
                warmAcknowledged,
                warmErrors));
      }
    }
  }

  /** Settling ends when the compilers used at most this share of the processes' CPU in a step. */
  private static final double SETTLED_JIT_PERCENT = 5;

  private static final Duration SETTLE_STEP = Duration.ofSeconds(5);
  private static final int MAX_SETTLE_STEPS = 24;

  /**
   * Keeps the load on {@code name} in steps until the processes' JIT compilers have settled (or two
   * minutes passed): what {@code --settle} adds to the warm-up.
   */
  private static List<LoadResult> settle(WriteApiFleet fleet, RowSetup setup, String name)
      throws Exception {
    List<LoadResult> steps = new ArrayList<>();
    for (int step = 1; step <= MAX_SETTLE_STEPS; step++) {
      Optional<Duration> cpuBefore = fleet.cpuTime();
      Optional<Duration> jitBefore = fleet.compilerCpuTime();
      LoadResult r = setup.load.run(fleet, setup.workload, name, SETTLE_STEP);
      steps.add(r);
      Optional<Double> share =
          Measured.jitShare(
              fleet.cpuTime().map(a -> a.minus(cpuBefore.orElseThrow())),
              fleet.compilerCpuTime().map(a -> a.minus(jitBefore.orElseThrow())));
      if (share.isEmpty()) {
        System.err.println("  cannot read the compiler threads' CPU here: not settling");
        break;
      }
      System.err.printf(
          Locale.ROOT,
          "  settling: JIT %.1f%% of the processes' CPU in the last 5 s%n",
          share.get());
      if (share.get() <= SETTLED_JIT_PERCENT) {
        break;
      }
    }
    return steps;
  }

  static ResultTable table(String unit) {
    return new ResultTable(
        "variant",
        "instances",
        "mode",
        "load",
        unit + "/s",
        "acked %",
        "late",
        "503",
        "other errors",
        "p50 ms",
        "p99 ms",
        "calls/" + unit,
        "writes/" + unit,
        "commits/" + unit,
        "CPU µs/" + unit,
        "CPU µs/commit",
        "JIT %",
        "aborted %",
        "shards",
        "acknowledged",
        "stored",
        "check");
  }

  private static Object[] row(
      Variant variant,
      WriteApiFleet fleet,
      Load load,
      LoadResult r,
      Optional<Duration> cpu,
      Optional<Duration> jit,
      EmulatorStats before,
      EmulatorStats after,
      Stored stored,
      long warmAcknowledged,
      long warmErrors) {
    long per = Math.max(1, r.acknowledged());
    long commits = after.commits() - before.commits();
    long cpuMicros = cpu.map(d -> d.toNanos() / 1_000).orElse(-1L);
    long aborted = after.aborted() - before.aborted();
    Object[] costs = {
      String.format(Locale.ROOT, "%.4f", (double) (after.calls() - before.calls()) / per),
      String.format(
          Locale.ROOT, "%.4f", (double) (after.entityWrites() - before.entityWrites()) / per),
      String.format(Locale.ROOT, "%.4f", (double) commits / per),
      cpuMicros < 0 ? "-" : String.format(Locale.ROOT, "%.1f", (double) cpuMicros / per),
      cpuMicros < 0
          ? "-"
          : String.format(Locale.ROOT, "%.0f", (double) cpuMicros / Math.max(1, commits)),
      Measured.jitShare(cpu, jit).map(p -> String.format(Locale.ROOT, "%.1f%%", p)).orElse("-"),
      String.format(
          Locale.ROOT, "%.2f%%", commits + aborted == 0 ? 0 : 100.0 * aborted / (commits + aborted))
    };
    return cells(
        "(" + variant.id + ") " + variant.label,
        fleet,
        load,
        r,
        costs,
        stored,
        warmAcknowledged + r.acknowledged(),
        warmErrors + r.errors());
  }

  /** The cost columns, from calls to aborted %, where nothing measured them (--url). */
  static final Object[] UNMEASURED_COSTS = {"-", "-", "-", "-", "-", "-", "-"};

  /**
   * One row of {@link #table}: {@code costs} fill the columns from calls to aborted %; {@code
   * acknowledged} and {@code errors} include the warm-up's when it wrote the same target.
   */
  static Object[] cells(
      String variant,
      WriteApiFleet fleet,
      Load load,
      LoadResult r,
      Object[] costs,
      Stored stored,
      long acknowledged,
      long errors) {
    String offered =
        load.open()
            ? String.format(Locale.ROOT, "%.0f/s offered", r.offered() / r.seconds())
            : load.clients() + " clients";
    List<Object> cells =
        new ArrayList<>(
            List.of(
                variant,
                fleet.size(),
                fleet.mode(),
                offered,
                String.format(Locale.ROOT, "%.1f", r.perSecond()),
                String.format(Locale.ROOT, "%.2f%%", 100 * r.acknowledgedShare()),
                r.late(),
                r.unavailable(),
                r.failed(),
                String.format(Locale.ROOT, "%.1f", r.latency().millis(50)),
                String.format(Locale.ROOT, "%.1f", r.latency().millis(99))));
    cells.addAll(List.of(costs));
    cells.addAll(
        List.of(
            stored.shards(),
            acknowledged,
            stored.count(),
            check(acknowledged, errors, stored.count())));
    return cells.toArray();
  }

  /**
   * Zero lost means every acknowledged write is stored; writes answered with an error may or may
   * not have landed (at most once), so stored may exceed acknowledged by at most the errors.
   */
  static String check(long acknowledged, long errors, long stored) {
    if (stored < acknowledged) {
      return "LOST " + (acknowledged - stored);
    }
    if (stored > acknowledged + errors) {
      return "DUPLICATED " + (stored - acknowledged - errors);
    }
    return stored == acknowledged ? "exact" : "ok (+" + (stored - acknowledged) + " of errored)";
  }

  /**
   * A client of the emulator for reading back what the Write API stored (no retries). Over HTTP it
   * holds no connections of its own, so it needs no closing (its close() is not implemented).
   */
  private static Datastore datastore(DatastoreEmulator emulator, String project) {
    return DatastoreOptions.newBuilder()
        .setHost("http://" + emulator.host())
        .setProjectId(project)
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(ServiceOptions.getNoRetrySettings())
        .build()
        .getService();
  }

  static Load load(Flags flags) throws UsageException {
    if (flags.has("rate") && flags.has("clients")) {
      throw new UsageException("--rate (open loop) and --clients (closed loop) exclude each other");
    }
    double rate = flags.decimal("rate", 0);
    if (flags.has("rate") && !(rate > 0 && rate <= 1_000_000)) {
      throw new UsageException(
          "--rate must be a number of requests per second from above 0 to 1000000, got " + rate);
    }
    if (!flags.has("rate") && (flags.has("senders") || flags.has("seed"))) {
      throw new UsageException("--senders and --seed need --rate (open loop)");
    }
    long seed;
    try {
      seed = Long.parseLong(flags.string("seed", "42"));
    } catch (NumberFormatException e) {
      throw new UsageException("--seed must be an integer, got '" + flags.string("seed", "") + "'");
    }
    return new Load(flags.positive("clients", 64), rate, flags.positive("senders", 4096), seed);
  }

  static List<Integer> instanceCounts(String list) throws UsageException {
    List<Integer> counts = new ArrayList<>();
    for (String item : list.split(",", -1)) {
      try {
        int count = Integer.parseInt(item.trim());
        if (count >= 1) {
          counts.add(count);
          continue;
        }
      } catch (NumberFormatException e) {
        // named below
      }
      throw new UsageException(
          "--instances takes a comma-separated list of counts of at least 1, got '" + list + "'");
    }
    return List.copyOf(counts);
  }

  /**
   * The deployable jar: --functions-jar, or functions/target/hotpath-functions.jar above this
   * code's location.
   */
  private static Path functionsJar(Flags flags) throws UsageException {
    if (flags.has("functions-jar")) {
      Path jar = Path.of(flags.string("functions-jar", null));
      if (!Files.isRegularFile(jar)) {
        throw new UsageException("--functions-jar: no such file " + jar);
      }
      return jar;
    }
    Path here;
    try {
      here =
          Path.of(WriteApiBench.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toAbsolutePath();
    } catch (URISyntaxException | SecurityException e) {
      throw new UsageException(
          "--processes: cannot tell where this jar is; name the deployable jar with --functions-jar");
    }
    for (Path dir = here.getParent(); dir != null; dir = dir.getParent()) {
      Path jar = dir.resolve(Path.of("functions", "target", "hotpath-functions.jar"));
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    throw new UsageException(
        "--processes serves the deployable functions/target/hotpath-functions.jar, found in no folder above "
            + here
            + "; build it (mvn -B -ntp -q package -DskipTests) or name it with --functions-jar");
  }

  private static List<Variant> variants(String list, int shards) throws UsageException {
    Map<String, Variant> all = new LinkedHashMap<>();
    all.put(
        "a",
        new Variant(
            "a",
            "unsharded, no coalescing",
            Map.of(
                Settings.DEFAULT_SHARDS.name(),
                "1",
                Settings.MAX_SHARDS.name(),
                "1",
                Settings.MAX_BATCH.name(),
                "1")));
    all.put(
        "b",
        new Variant(
            "b",
            shards + " shards, no coalescing",
            Map.of(
                Settings.DEFAULT_SHARDS.name(),
                Integer.toString(shards),
                Settings.MAX_SHARDS.name(),
                Integer.toString(shards),
                Settings.MAX_BATCH.name(),
                "1")));
    all.put("c", new Variant("c", "sharded + group commit (defaults)", Map.of()));
    all.put(
        "t",
        new Variant(
            "t",
            "group commit, transaction per flush",
            Map.of(Settings.VERSIONED_WRITES.name(), "off")));
    all.put(
        "g",
        new Variant(
            "g", "group commit over gRPC", Map.of(Settings.DATASTORE_TRANSPORT.name(), "grpc")));
    all.put(
        "m", new Variant("m", "group commit, metrics off", Map.of(Settings.METRICS.name(), "off")));
    List<Variant> chosen = new ArrayList<>();
    for (String id : list.split(",")) {
      Variant v = all.get(id.trim());
      if (v == null) {
        throw new UsageException(
            "--variants takes a comma-separated subset of a,b,c,t,g,m, got '" + list + "'");
      }
      chosen.add(v);
    }
    return chosen;
  }

  private WriteApiBench() {}
}
