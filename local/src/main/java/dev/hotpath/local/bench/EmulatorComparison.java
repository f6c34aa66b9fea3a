package dev.hotpath.local.bench;

import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import dev.hotpath.emulators.datastore.backend.GoogleEmulator;
import dev.hotpath.shared.config.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code bench datastore --against google-datastore|google-firestore}: ours and one of Google's
 * emulators, each its own process on loopback, driven by the same clients in the same run,
 * alternating A B A B per operation, transport and client so that both see the same machine load.
 * The CPU per operation is each server process's own (its whole process tree), read from the OS.
 */
final class EmulatorComparison {
  private record Server(String name, String host, ProcessHandle process) {}

  private record Sample(
      String op,
      DatastoreOperations.Driver driver,
      String server,
      double opsPerSecond,
      double p50,
      double p99,
      long errors,
      double cpuMicrosPerOp) {}

  private final Class<?> localMain;
  private final DatastoreBackend against;
  private final int threads;
  private final int inFlight;
  private final int duration;
  private final int warmup;
  private final int rounds;
  private final int keys;
  private final List<DatastoreOperations.Driver> drivers;

  EmulatorComparison(
      Class<?> localMain,
      DatastoreBackend against,
      int threads,
      int inFlight,
      int duration,
      int warmup,
      int rounds,
      int keys,
      List<DatastoreOperations.Driver> drivers) {
    this.localMain = localMain;
    this.against = against;
    this.threads = threads;
    this.inFlight = inFlight;
    this.duration = duration;
    this.warmup = warmup;
    this.rounds = rounds;
    this.keys = keys;
    this.drivers = drivers;
  }

  void run() throws Exception {
    Process oursProcess = startOurs();
    try (GoogleEmulator google = GoogleEmulator.start(against, 0, System.getenv())) {
      List<Server> servers =
          List.of(
              new Server("hotpath", hostOf(oursProcess), oursProcess.toHandle()),
              new Server(against.id(), google.host(), google.process()));
      compare(servers);
    } finally {
      oursProcess.descendants().forEach(ProcessHandle::destroy);
      oursProcess.destroy();
      if (!oursProcess.waitFor(10, TimeUnit.SECONDS)) {
        oursProcess.destroyForcibly();
      }
    }
  }

  /** Our emulator as a child JVM of the same classpath, so its CPU is measured like Google's. */
  private Process startOurs() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            localMain.getName(),
            "datastore",
            "--port",
            "0")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /**
   * Reads the {@code export DATASTORE_EMULATOR_HOST=...} line the datastore command prints first.
   */
  private static String hostOf(Process ours) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(ours.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    String prefix = "export " + Settings.EMULATOR_HOST.name() + "=";
    if (line == null || !line.startsWith(prefix)) {
      throw new IOException("our emulator did not start: it printed " + line);
    }
    return line.substring(prefix.length());
  }

  private void compare(List<Server> servers) throws Exception {
    Map<String, DatastoreOperations> opened = new LinkedHashMap<>();
    for (Server server : servers) {
      DatastoreOperations.seed(server.host(), keys);
      AtomicLong written = new AtomicLong();
      for (DatastoreOperations.Driver driver : drivers) {
        opened.put(
            key(driver, server),
            DatastoreOperations.over(server.host(), driver, threads, inFlight, keys, written));
      }
    }
    for (Server server : servers) {
      for (DatastoreOperations.Driver driver : drivers) {
        for (DatastoreOperations.Operation op : DatastoreOperations.Operation.values()) {
          System.err.println(
              "bench datastore: warm-up "
                  + op.label
                  + " over "
                  + key(driver, server)
                  + ", "
                  + warmup
                  + " s");
          op.of(opened.get(key(driver, server))).run(warmup);
        }
      }
    }
    List<Sample> samples = new ArrayList<>();
    ResultTable runs =
        new ResultTable(
            "round",
            "operation",
            "transport",
            "client",
            "server",
            "ops/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "server cpu µs/op");
    for (int round = 1; round <= rounds; round++) {
      for (DatastoreOperations.Operation op : DatastoreOperations.Operation.values()) {
        for (DatastoreOperations.Driver driver : drivers) {
          for (Server server : servers) { // A B, then A B again next round
            Sample s = measure(op, driver, server, opened.get(key(driver, server)));
            samples.add(s);
            runs.row(
                round,
                s.op(),
                s.driver().transport().label,
                s.driver().client().label,
                s.server(),
                fmt(s.opsPerSecond(), 0),
                fmt(s.p50(), 2),
                fmt(s.p99(), 2),
                s.errors(),
                fmt(s.cpuMicrosPerOp(), 0));
          }
        }
      }
    }
    System.out.print(runs);
    System.out.println();
    System.out.print(summary(samples, servers));
    for (DatastoreOperations operations : opened.values()) {
      operations.resources().close();
    }
  }

  private static String key(DatastoreOperations.Driver driver, Server server) {
    return driver.label() + " on " + server.name();
  }

  private Sample measure(
      DatastoreOperations.Operation op,
      DatastoreOperations.Driver driver,
      Server server,
      DatastoreOperations operations)
      throws Exception {
    System.err.println(
        "bench datastore: "
            + op.label
            + " over "
            + key(driver, server)
            + ", "
            + operations.inFlight()
            + " in flight, "
            + duration
            + " s");
    Duration cpuBefore = cpu(server.process());
    DatastoreOperations.Phase phase = op.of(operations).run(duration);
    Duration cpu = cpu(server.process()).minus(cpuBefore);
    Percentiles latency = new Percentiles(phase.nanos());
    return new Sample(
        op.label,
        driver,
        server.name(),
        latency.count() / (double) duration,
        latency.millis(50),
        latency.millis(99),
        phase.errors(),
        cpu.toNanos() / 1000.0 / Math.max(1, latency.count()));
  }

  /** CPU time of a server's whole process tree (Google's launcher script runs a JVM). */
  private static Duration cpu(ProcessHandle process) {
    return Stream.concat(Stream.of(process), process.descendants())
        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
        .reduce(Duration.ZERO, Duration::plus);
  }

  /** Per operation and driver: each server's median over the rounds, and ours over theirs. */
  private ResultTable summary(List<Sample> samples, List<Server> servers) {
    ResultTable table =
        new ResultTable(
            "operation",
            "transport",
            "client",
            "server",
            "median ops/s",
            "median p50 ms",
            "median p99 ms",
            "median cpu µs/op",
            "ops/s ratio " + servers.get(0).name() + "/" + servers.get(1).name());
    for (DatastoreOperations.Operation op : DatastoreOperations.Operation.values()) {
      for (DatastoreOperations.Driver driver : drivers) {
        double oursOps = 0;
        for (Server server : servers) {
          List<Sample> mine =
              samples.stream()
                  .filter(
                      s ->
                          s.op().equals(op.label)
                              && s.driver().equals(driver)
                              && s.server().equals(server.name()))
                  .toList();
          double ops = median(mine, Sample::opsPerSecond);
          if (server == servers.get(0)) {
            oursOps = ops;
          }
          table.row(
              op.label,
              driver.transport().label,
              driver.client().label,
              server.name(),
              fmt(ops, 0),
              fmt(median(mine, Sample::p50), 2),
              fmt(median(mine, Sample::p99), 2),
              fmt(median(mine, Sample::cpuMicrosPerOp), 0),
              server == servers.get(0) ? "" : fmt(oursOps / Math.max(ops, 1e-9), 1) + "×");
        }
      }
    }
    return table;
  }

  private static double median(
      List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
    double[] sorted = samples.stream().mapToDouble(value).sorted().toArray();
    if (sorted.length == 0) {
      return 0;
    }
    return sorted.length % 2 == 1
        ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  private static String fmt(double value, int decimals) {
    return String.format("%." + decimals + "f", value);
  }
}
