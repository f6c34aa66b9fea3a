package dev.hotpath.local.bench;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import dev.hotpath.emulators.datastore.backend.GoogleEmulator;
import dev.hotpath.emulators.datastore.grpc.EmulatorGrpcRpc;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code bench datastore --against google-datastore|google-firestore}: ours and one of Google's
 * emulators, each its own process on loopback, driven by the same real client in the same run,
 * alternating A B A B per operation and transport so that both see the same machine load. The CPU
 * per operation is each server process's own (its whole process tree), read from the OS.
 */
final class EmulatorComparison {
  private record Server(String name, String host, ProcessHandle process) {}

  private record Sample(
      String op,
      String transport,
      String server,
      double opsPerSecond,
      double p50,
      double p99,
      long errors,
      double cpuMicrosPerOp) {}

  private final Class<?> localMain;
  private final DatastoreBackend against;
  private final int threads;
  private final int duration;
  private final int warmup;
  private final int rounds;
  private final int keys;
  private final List<DatastoreBenchmark.Transport> transports;

  EmulatorComparison(
      Class<?> localMain,
      DatastoreBackend against,
      int threads,
      int duration,
      int warmup,
      int rounds,
      int keys,
      List<DatastoreBenchmark.Transport> transports) {
    this.localMain = localMain;
    this.against = against;
    this.threads = threads;
    this.duration = duration;
    this.warmup = warmup;
    this.rounds = rounds;
    this.keys = keys;
    this.transports = transports;
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

  private static Datastore client(DatastoreBenchmark.Transport transport, String host) {
    DatastoreOptions.Builder options =
        transport == DatastoreBenchmark.Transport.HTTP
            ? DatastoreOptions.newBuilder()
                .setHost(host)
                .setCredentials(NoCredentials.getInstance())
            : EmulatorGrpcRpc.optionsFor(host);
    return options.setProjectId("bench").build().getService();
  }

  private void compare(List<Server> servers) throws Exception {
    Map<String, Runnable> ops = new LinkedHashMap<>();
    List<Datastore> grpcClients = new ArrayList<>();
    AtomicLong written = new AtomicLong();
    for (Server server : servers) {
      Key[] pool =
          DatastoreBenchmark.seed(client(DatastoreBenchmark.Transport.HTTP, server.host()), keys);
      for (DatastoreBenchmark.Transport transport : transports) {
        Datastore client = client(transport, server.host());
        if (transport == DatastoreBenchmark.Transport.GRPC) {
          grpcClients.add(client);
        }
        KeyFactory fresh = client.newKeyFactory().setKind("Written");
        ops.put(
            key("commit (1 entity)", transport, server),
            () ->
                client.put(
                    Entity.newBuilder(fresh.newKey("w" + written.incrementAndGet()))
                        .set("n", ThreadLocalRandom.current().nextLong())
                        .build()));
        ops.put(
            key("lookup (1 key)", transport, server),
            () -> {
              if (client.get(pool[ThreadLocalRandom.current().nextInt(pool.length)]) == null) {
                throw new IllegalStateException("a seeded entity is missing");
              }
            });
      }
    }
    for (Map.Entry<String, Runnable> op : ops.entrySet()) {
      System.err.println("bench datastore: warm-up " + op.getKey() + ", " + warmup + " s");
      DatastoreBenchmark.measure(op.getValue(), threads, warmup);
    }
    List<Sample> samples = new ArrayList<>();
    ResultTable runs =
        new ResultTable(
            "round",
            "operation",
            "transport",
            "server",
            "ops/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "server cpu µs/op");
    for (int round = 1; round <= rounds; round++) {
      for (String op : List.of("commit (1 entity)", "lookup (1 key)")) {
        for (DatastoreBenchmark.Transport transport : transports) {
          for (Server server : servers) { // A B, then A B again next round
            Sample s = measure(op, transport, server, ops.get(key(op, transport, server)));
            samples.add(s);
            runs.row(
                round,
                s.op(),
                s.transport(),
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
    for (Datastore c : grpcClients) {
      c.close();
    }
  }

  private static String key(String op, DatastoreBenchmark.Transport transport, Server server) {
    return op + " over " + transport.label + " on " + server.name();
  }

  private Sample measure(
      String op, DatastoreBenchmark.Transport transport, Server server, Runnable call)
      throws Exception {
    System.err.println(
        "bench datastore: "
            + key(op, transport, server)
            + ", "
            + threads
            + " threads, "
            + duration
            + " s");
    Duration cpuBefore = cpu(server.process());
    DatastoreBenchmark.Phase phase = DatastoreBenchmark.measure(call, threads, duration);
    Duration cpu = cpu(server.process()).minus(cpuBefore);
    Percentiles latency = new Percentiles(phase.nanos());
    return new Sample(
        op,
        transport.label,
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

  /** Per operation and transport: each server's median over the rounds, and ours over theirs. */
  private ResultTable summary(List<Sample> samples, List<Server> servers) {
    ResultTable table =
        new ResultTable(
            "operation",
            "transport",
            "server",
            "median ops/s",
            "median p50 ms",
            "median p99 ms",
            "median cpu µs/op",
            "ops/s ratio " + servers.get(0).name() + "/" + servers.get(1).name());
    for (String op : List.of("commit (1 entity)", "lookup (1 key)")) {
      for (DatastoreBenchmark.Transport transport : transports) {
        double oursOps = 0;
        for (Server server : servers) {
          List<Sample> mine =
              samples.stream()
                  .filter(
                      s ->
                          s.op().equals(op)
                              && s.transport().equals(transport.label)
                              && s.server().equals(server.name()))
                  .toList();
          double ops = median(mine, Sample::opsPerSecond);
          if (server == servers.get(0)) {
            oursOps = ops;
          }
          table.row(
              op,
              transport.label,
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
