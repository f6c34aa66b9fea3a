package dev.hotpath.local.bench;

import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.stack.FunctionProcess;
import dev.hotpath.local.stack.FunctionServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * N independent Write API instances for a benchmark to spread its clients over: in this JVM (a few
 * invokers serving {@link WriteApiInstances}, so N = 100 fits on two cores) or as N separate JVMs,
 * each the deployable function under the Functions Framework invoker; or the one already running at
 * a URL.
 */
final class WriteApiFleet implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /** How the load reaches an instance: a JSON POST of {@code json} to {@code path}; its status. */
  @FunctionalInterface
  private interface LoadPath {
    int post(String path, byte[] json) throws Exception;
  }

  /** One instance: how the load reaches it, and {@code http} for reading results back. */
  private record Instance(HttpJson http, LoadPath load) {}

  private final String mode;
  private final List<Instance> instances;
  private final List<AutoCloseable> running;
  private final List<FunctionProcess> processes = new ArrayList<>();

  private WriteApiFleet(String mode, List<Instance> instances, List<AutoCloseable> running) {
    this.mode = mode;
    this.instances = List.copyOf(instances);
    this.running = running;
  }

  /**
   * The most invokers an in-process fleet starts. One invoker's Jetty has at most 1,024 threads,
   * and every request holds one while it waits for its group commit: at 5,000 requests/s that caps
   * the mean latency at about 200 ms before requests queue in the harness rather than in the
   * instances, which a fleet of separate function instances would not do.
   */
  static final int MAX_SERVERS = 8;

  /**
   * {@code count} instances in this JVM, each reading {@code env}, behind up to {@link
   * #MAX_SERVERS} invokers: instance i is number i / S of server i mod S.
   */
  static WriteApiFleet inProcess(int count, Map<String, String> env) throws Exception {
    int servers = Math.min(count, MAX_SERVERS);
    List<AutoCloseable> running = new ArrayList<>();
    List<Instance> instances = new ArrayList<>();
    try {
      long start = System.nanoTime();
      List<HttpJson> bases = new ArrayList<>();
      List<KeepAliveClient> loads = new ArrayList<>();
      for (int s = 0; s < servers; s++) {
        Map<String, String> withCount = new HashMap<>(env);
        int hosted = (count - s + servers - 1) / servers;
        withCount.put(WriteApiInstances.INSTANCES, Integer.toString(hosted));
        FunctionServer server = FunctionServer.start(WriteApiInstances.class, 0, withCount);
        running.add(server);
        bases.add(new HttpJson(server.url()));
        KeepAliveClient load = new KeepAliveClient(server.url());
        running.add(load);
        loads.add(load);
      }
      System.err.printf(
          "  %d in-process instances behind %d invoker(s) constructed in %d ms%n",
          count, servers, (System.nanoTime() - start) / 1_000_000);
      for (int i = 0; i < count; i++) {
        String header = Integer.toString(i / servers);
        KeepAliveClient load = loads.get(i % servers);
        Map<String, String> picked = Map.of(WriteApiInstances.HEADER, header);
        instances.add(
            new Instance(
                bases.get(i % servers).withHeader(WriteApiInstances.HEADER, header),
                (path, json) -> load.postJson(path, picked, json)));
      }
      return new WriteApiFleet("in-process", instances, running);
    } catch (Exception e) {
      closeAll(running);
      throw e;
    }
  }

  /**
   * {@code count} instances in this JVM, each reading {@code env}, whose load is handed to them
   * without HTTP ({@link DirectCall}); one invoker serving all of them answers the read-back.
   */
  static WriteApiFleet direct(int count, Map<String, String> env) throws Exception {
    Map<String, String> withCount = new HashMap<>(env);
    withCount.put(WriteApiInstances.INSTANCES, Integer.toString(count));
    Map<String, String> seen = new HashMap<>(System.getenv());
    seen.putAll(withCount);
    long start = System.nanoTime();
    WriteApiInstances called = new WriteApiInstances(seen);
    Map<String, String> readEnv = new HashMap<>(env);
    readEnv.put(WriteApiInstances.INSTANCES, "1");
    FunctionServer reads = FunctionServer.start(WriteApiInstances.class, 0, readEnv);
    try {
      System.err.printf(
          "  %d in-process instances, called directly, constructed in %d ms%n",
          count, (System.nanoTime() - start) / 1_000_000);
      HttpJson readBack = new HttpJson(reads.url()).withHeader(WriteApiInstances.HEADER, "0");
      List<Instance> instances = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        WriteApi instance = called.instanceFor(Optional.of(Integer.toString(i)));
        instances.add(
            new Instance(
                readBack, (path, json) -> DirectCall.postJson(instance, path, Map.of(), json)));
      }
      return new WriteApiFleet("direct", instances, List.of(reads));
    } catch (Exception e) {
      reads.close();
      throw e;
    }
  }

  /**
   * {@code count} JVMs, each serving the Write API from {@code functionsJar}, reading {@code env}.
   */
  static WriteApiFleet processes(int count, Map<String, String> env, Path functionsJar)
      throws Exception {
    List<AutoCloseable> running = new ArrayList<>();
    try {
      List<FunctionProcess> started = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        FunctionProcess process = FunctionProcess.start(WriteApi.class, functionsJar, env);
        running.add(process);
        started.add(process);
      }
      List<Instance> instances = new ArrayList<>();
      for (FunctionProcess process : started) {
        process.awaitListening(START_TIMEOUT);
        KeepAliveClient load = new KeepAliveClient(process.url());
        running.add(load);
        instances.add(
            new Instance(
                new HttpJson(process.url()), (path, json) -> load.postJson(path, Map.of(), json)));
      }
      WriteApiFleet fleet = new WriteApiFleet("processes", instances, running);
      fleet.processes.addAll(started);
      return fleet;
    } catch (Exception e) {
      closeAll(running);
      throw e;
    }
  }

  /**
   * The one Write API already serving at {@code url} (http://host:port), started by someone else
   * ({@code up}, say): the fleet starts nothing and stops nothing but its own connections.
   */
  static WriteApiFleet running(String url) {
    KeepAliveClient load = new KeepAliveClient(url);
    return new WriteApiFleet(
        "url",
        List.of(
            new Instance(new HttpJson(url), (path, json) -> load.postJson(path, Map.of(), json))),
        List.of(load));
  }

  /**
   * The CPU time the instances' processes have used so far; empty for instances in this JVM, whose
   * CPU the load generator and emulator share.
   */
  Optional<Duration> cpuTime() {
    return processes.isEmpty()
        ? Optional.empty()
        : Optional.of(
            processes.stream().map(FunctionProcess::cpuTime).reduce(Duration.ZERO, Duration::plus));
  }

  /**
   * The Write API processes' JIT compiler CPU time so far: empty when they are in this JVM or
   * {@code /proc} cannot tell.
   */
  Optional<Duration> compilerCpuTime() {
    Duration sum = Duration.ZERO;
    for (FunctionProcess process : processes) {
      Optional<Duration> compiler = process.compilerCpuTime();
      if (compiler.isEmpty()) {
        return Optional.empty();
      }
      sum = sum.plus(compiler.get());
    }
    return processes.isEmpty() ? Optional.empty() : Optional.of(sum);
  }

  /** "in-process", "direct", "processes" or "url". */
  String mode() {
    return mode;
  }

  int size() {
    return instances.size();
  }

  /**
   * Sends client or arrival {@code i}'s write to instance {@code i mod N} (so load is spread
   * evenly) through the load generator's light client; the answer's status.
   */
  int post(long i, String path, byte[] json) throws Exception {
    return instances.get((int) (i % instances.size())).load().post(path, json);
  }

  /** A JSON client of instance {@code i mod N}, for reading results back. */
  HttpJson instance(long i) {
    return instances.get((int) (i % instances.size())).http();
  }

  @Override
  public void close() throws Exception {
    closeAll(running);
  }

  private static void closeAll(List<AutoCloseable> running) throws Exception {
    Exception first = null;
    for (AutoCloseable r : running) {
      try {
        r.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
