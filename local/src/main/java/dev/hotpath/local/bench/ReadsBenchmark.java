package dev.hotpath.local.bench;

import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.flags.UsageException;
import dev.hotpath.local.stack.FunctionServer;
import dev.hotpath.shared.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bench reads}: how long one snapshot read takes as shards multiply — a counter read
 * (lookups of at most 1,000 keys, in parallel, in one read-only transaction) and a group's first
 * page (one query per shard parent, in parallel, in one read-only transaction).
 */
public final class ReadsBenchmark implements Benchmark {
  private static final Set<String> VALUED =
      Set.of("counter-shards", "group-shards", "reads", "entities");

  @Override
  public String name() {
    return "reads";
  }

  @Override
  public String summary() {
    return "counter read and group listing latency at 16, 1,024 and 4,096 shards";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar bench reads [FLAGS]

        Starts the Datastore emulator and, per shard count, a Write API served by the invoker
        whose counters and groups have exactly that many shards; fills a counter and a group,
        then times GET /v1/counters/{name} and the first page of GET /v1/groups/{group}/...
        one request after another. Prints p50/p99 per read and shard count.

          --counter-shards LIST  shard counts of the counter rows (default 16,1024,4096)
          --group-shards LIST    shard counts of the group rows (default 16,1024)
          --reads N              timed reads per row, after 20 untimed (default 200)
          --entities N           entities appended to each group (default 2000)
        """;
  }

  @Override
  public int run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, VALUED, Set.of());
    if (!flags.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + flags.positional().get(0) + "'");
    }
    List<Integer> counterShards = counts(flags, "counter-shards", "16,1024,4096");
    List<Integer> groupShards = counts(flags, "group-shards", "16,1024");
    int reads = flags.positive("reads", 200);
    int entities = flags.positive("entities", 2000);
    ResultTable table = new ResultTable("read", "shards", "p50 ms", "p99 ms", "answer");
    try (DatastoreEmulator emulator = DatastoreEmulator.builder().port(0).build().start()) {
      List<Integer> all = new ArrayList<>(counterShards);
      groupShards.stream().filter(s -> !all.contains(s)).forEach(all::add);
      for (int shards : all) {
        try (FunctionServer server =
            FunctionServer.start(WriteApi.class, 0, env(emulator, shards))) {
          HttpJson http = new HttpJson(server.url());
          if (counterShards.contains(shards)) {
            int increments = Math.min(shards, 2000);
            System.err.printf("counter with %d shards: %d increments...%n", shards, increments);
            concurrently(
                increments,
                () -> http.post("/v1/counters/c:increment", "{\"delta\": 1}").status() == 200);
            String path = "/v1/counters/c";
            Percentiles latency = time(reads, () -> http.get(path).status() == 200);
            long value = http.get(path).body().get("value").getAsLong();
            table.row(
                "counter",
                shards,
                ms(latency.millis(50)),
                ms(latency.millis(99)),
                value == increments
                    ? "value " + value + " (exact)"
                    : "value " + value + " WRONG, want " + increments);
          }
          if (groupShards.contains(shards)) {
            System.err.printf("group with %d shards: %d appends...%n", shards, entities);
            concurrently(
                entities,
                () ->
                    http.post("/v1/groups/g/entities/Message", "{\"properties\":{\"n\":1}}")
                            .status()
                        == 201);
            String path = "/v1/groups/g/entities/Message?pageSize=50";
            Percentiles latency = time(reads, () -> http.get(path).status() == 200);
            int listed = http.get(path).body().getAsJsonArray("entities").size();
            table.row(
                "group first page (50)",
                shards,
                ms(latency.millis(50)),
                ms(latency.millis(99)),
                listed + " entities");
          }
        }
      }
    }
    System.out.print(table);
    return 0;
  }

  private static Map<String, String> env(DatastoreEmulator emulator, int shards) {
    return Map.of(
        Settings.EMULATOR_HOST.name(),
        emulator.host(),
        Settings.PROJECT.name(),
        "bench-reads-" + shards,
        Settings.ALLOWED_KINDS.name(),
        "Message",
        Settings.DEFAULT_SHARDS.name(),
        Integer.toString(shards),
        Settings.MAX_SHARDS.name(),
        Integer.toString(shards),
        Settings.SHARD_WRITE_INTERVAL_MS.name(),
        "0",
        Settings.FLUSH_INTERVAL_MS.name(),
        "0");
  }

  private static List<Integer> counts(Flags flags, String flag, String fallback)
      throws UsageException {
    List<Integer> counts = new ArrayList<>();
    for (String part : flags.string(flag, fallback).split(",")) {
      try {
        int n = Integer.parseInt(part.trim());
        if (n < 1 || n > 100_000) {
          throw new NumberFormatException();
        }
        counts.add(n);
      } catch (NumberFormatException e) {
        throw new UsageException(
            "--"
                + flag
                + " takes comma-separated shard counts from 1 to 100000, got '"
                + part
                + "'");
      }
    }
    return counts;
  }

  /** Sends {@code total} requests from 32 clients; fails if any is not acknowledged. */
  private static void concurrently(int total, ClosedLoopLoad.Request request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<Boolean>> sent = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        sent.add(pool.submit(request::send));
      }
      for (Future<Boolean> f : sent) {
        if (!f.get()) {
          throw new IllegalStateException(
              "a write to fill the benchmark's data was not acknowledged");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Percentiles time(int reads, ClosedLoopLoad.Request read) throws Exception {
    long[] nanos = new long[reads];
    for (int i = -20; i < reads; i++) {
      long started = System.nanoTime();
      if (!read.send()) {
        throw new IllegalStateException("a timed read failed");
      }
      if (i >= 0) {
        nanos[i] = System.nanoTime() - started;
      }
    }
    return new Percentiles(nanos);
  }

  private static String ms(double millis) {
    return String.format(Locale.ROOT, "%.1f", millis);
  }
}
