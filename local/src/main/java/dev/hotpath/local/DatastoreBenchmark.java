package dev.hotpath.local;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import dev.hotpath.emulators.datastore.DatastoreEmulator;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code bench datastore}: the in-process emulator driven by the real google-cloud-datastore client
 * from many threads; single-entity commits/s and lookups/s with latency percentiles.
 *
 * <p>The client's default transport (HttpURLConnection) keeps only {@code http.maxConnections}
 * (default 5) idle connections per host, so with more threads most calls would open a new TCP
 * connection; the benchmark raises that property to the thread count unless it is set already.
 * Besides throughput it reports process CPU per operation, which stays comparable on a busy machine.
 */
final class DatastoreBenchmark implements Benchmark {
  private static final Set<String> VALUED = Set.of("duration-s", "warmup-s", "threads", "keys", "only", "data-dir", "fsync");

  @Override
  public String name() {
    return "datastore";
  }

  @Override
  public String summary() {
    return "emulator + real client: single-entity commits/s and lookups/s, p50/p99";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar bench datastore [FLAGS]

        Starts the Datastore emulator in-process and drives it with the real client: first
        single-entity commits (upserts of random keys), then single-key lookups.

          --duration-s N   measured seconds per phase (default 10)
          --warmup-s N     unmeasured seconds before each phase (default 3)
          --threads N      client threads (default 32)
          --keys N         distinct entities written and read (default 10000)
          --only PHASE     run just one phase: commit or lookup (default both)
          --data-dir DIR   persist to DIR (an empty or scratch directory) instead of memory only
          --fsync POLICY   with --data-dir: always (default) or never
        """;
  }

  @Override
  public int run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, VALUED, Set.of());
    int duration = positive(flags, "duration-s", 10);
    int warmup = flags.integer("warmup-s", 3);
    int threads = positive(flags, "threads", 32);
    int keys = positive(flags, "keys", 10_000);
    String only = flags.string("only", "");
    if (!only.isEmpty() && !only.equals("commit") && !only.equals("lookup")) {
      throw new UsageException("--only must be commit or lookup, got '" + only + "'");
    }
    if (warmup < 0) {
      throw new UsageException("--warmup-s must not be negative");
    }
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", Integer.toString(threads));
    }
    DatastoreEmulator.Builder builder = DatastoreEmulator.builder().port(0);
    if (flags.has("data-dir")) {
      builder.dataDir(Path.of(flags.string("data-dir", null)));
      builder.fsync(DatastoreCommand.fsync(flags.string("fsync", "always")));
    }
    try (DatastoreEmulator emulator = builder.build().start()) {
      Datastore client =
          DatastoreOptions.newBuilder()
              .setHost(emulator.host())
              .setProjectId("bench")
              .setCredentials(NoCredentials.getInstance())
              .build()
              .getService();
      KeyFactory factory = client.newKeyFactory().setKind("Bench");
      Key[] pool = new Key[keys];
      for (int i = 0; i < keys; i++) {
        pool[i] = factory.newKey("k" + i);
      }
      Consumer<Key> commit = key -> client.put(Entity.newBuilder(key).set("n", ThreadLocalRandom.current().nextLong()).build());
      Consumer<Key> lookup = client::get;

      ResultTable table =
          new ResultTable("operation", "threads", "seconds", "ops", "ops/s", "p50 ms", "p99 ms", "errors", "cpu µs/op");
      for (Object[] phase : List.of(new Object[] {"commit (1 entity)", commit}, new Object[] {"lookup (1 key)", lookup})) {
        @SuppressWarnings("unchecked")
        Consumer<Key> op = (Consumer<Key>) phase[1];
        String label = (String) phase[0];
        if (!only.isEmpty() && !label.startsWith(only)) {
          continue;
        }
        System.err.println("bench datastore: " + label + ", " + threads + " threads, " + warmup + " s warm-up + " + duration + " s");
        measure(op, pool, threads, warmup);
        long cpuBefore = processCpuNanos();
        Phase result = measure(op, pool, threads, duration);
        long cpu = processCpuNanos() - cpuBefore;
        Percentiles latency = new Percentiles(result.nanos());
        table.row(label, threads, duration, latency.count(),
            String.format("%.0f", latency.count() / (double) duration),
            String.format("%.2f", latency.millis(50)), String.format("%.2f", latency.millis(99)), result.errors(),
            String.format("%.0f", cpu / 1000.0 / Math.max(1, latency.count())));
      }
      System.out.print(table);
    }
    return 0;
  }

  private record Phase(long[] nanos, long errors) {}

  private static Phase measure(Consumer<Key> op, Key[] pool, int threads, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong errors = new AtomicLong();
    ExecutorService workers = Executors.newFixedThreadPool(threads);
    try {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(workers.submit(() -> {
          long[] samples = new long[1024];
          int n = 0;
          ThreadLocalRandom random = ThreadLocalRandom.current();
          while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            try {
              op.accept(pool[random.nextInt(pool.length)]);
            } catch (RuntimeException e) {
              errors.incrementAndGet();
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
   * CPU time of this whole process (client and emulator together): divided by the operations it
   * is the cost per operation, which unlike ops/s does not depend on what else the machine runs.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static int positive(Flags flags, String name, int fallback) throws UsageException {
    int value = flags.integer(name, fallback);
    if (value <= 0) {
      throw new UsageException("--" + name + " must be positive, got " + value);
    }
    return value;
  }
}
