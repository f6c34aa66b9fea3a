package dev.hotpath.local;

import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.emulators.datastore.EmulatorStats;
import dev.hotpath.emulators.datastore.WriteLimits;
import dev.hotpath.functions.WriteApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The common run of {@code bench counters} and {@code bench groups}: one emulator under
 * production write limits; per variant a fresh Write API served by the invoker, driven by
 * closed-loop clients over HTTP; then the stored total checked against the acknowledged count.
 * Variants: (a) one unsharded entity, no coalescing; (b) sharded, no coalescing; (c) sharded
 * with group commit (the defaults).
 */
final class WriteApiBench {
  static final Set<String> VALUED = Set.of("duration-s", "clients", "shards", "variants");

  static final String FLAGS_HELP =
      """
        --duration-s N   measured seconds per variant (default 30)
        --clients N      concurrent closed-loop clients (default 64)
        --shards N       fixed shard count of variant (b) (default 64)
        --variants LIST  which of a,b,c to run (default a,b,c)
      """;

  /** What is written and how the stored result is counted. */
  interface Workload {
    /** Sends one write; true if acknowledged. */
    boolean write(HttpJson http) throws Exception;

    /** The stored count of acknowledged-or-maybe-applied writes (e.g. the counter's value). */
    long stored(HttpJson http) throws Exception;
  }

  private record Variant(String id, String label, Map<String, String> settings) {}

  static int run(String[] args, WriteLimits limits, Workload workload, String unit) throws Exception {
    Flags flags = Flags.parse(args, VALUED, Set.of());
    if (!flags.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + flags.positional().get(0) + "'");
    }
    int seconds = flags.positive("duration-s", 30);
    int clients = flags.positive("clients", 64);
    int shards = flags.positive("shards", 64);
    List<Variant> variants = variants(flags.string("variants", "a,b,c"), shards);
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", Integer.toString(Math.max(128, clients * 2)));
    }
    ResultTable table =
        new ResultTable(
            "variant", unit + "/s", "error rate", "writes/" + unit, "commits/" + unit, "p50 ms", "p99 ms",
            "acknowledged", "stored", "check");
    Map<String, Double> rates = new HashMap<>();
    try (DatastoreEmulator emulator = DatastoreEmulator.builder().port(0).writeLimits(limits).build().start()) {
      for (Variant variant : variants) {
        System.err.printf("running (%s) %s for %d s with %d clients...%n", variant.id, variant.label, seconds, clients);
        Map<String, String> env = new HashMap<>(variant.settings);
        env.put("DATASTORE_EMULATOR_HOST", emulator.host());
        env.put("GOOGLE_CLOUD_PROJECT", "bench-" + variant.id);
        env.put("HOTPATH_ALLOWED_KINDS", "Message");
        EmulatorStats before = emulator.stats();
        try (FunctionServer server = FunctionServer.start(WriteApi.class, 0, env)) {
          HttpJson http = new HttpJson(server.url());
          ClosedLoopLoad.Result r = ClosedLoopLoad.run(clients, Duration.ofSeconds(seconds), () -> workload.write(http));
          EmulatorStats after = emulator.stats();
          long stored = workload.stored(http);
          long ops = Math.max(1, r.acknowledged());
          table.row(
              "(" + variant.id + ") " + variant.label,
              String.format(Locale.ROOT, "%.1f", r.perSecond()),
              String.format(Locale.ROOT, "%.2f%%", 100 * r.errorRate()),
              String.format(Locale.ROOT, "%.4f", (double) (after.entityWrites() - before.entityWrites()) / ops),
              String.format(Locale.ROOT, "%.4f", (double) (after.commits() - before.commits()) / ops),
              String.format(Locale.ROOT, "%.1f", r.latency().millis(50)),
              String.format(Locale.ROOT, "%.1f", r.latency().millis(99)),
              r.acknowledged(),
              stored,
              check(r, stored));
          rates.put(variant.id, r.perSecond());
        }
      }
    }
    System.out.print(table);
    if (rates.containsKey("a") && rates.containsKey("c") && rates.get("a") > 0) {
      System.out.printf(Locale.ROOT, "%n(c)/(a) = %.0fx%n", rates.get("c") / rates.get("a"));
    }
    return 0;
  }

  /**
   * Zero lost means every acknowledged write is stored; writes answered with an error may or may
   * not have landed (at most once), so stored may exceed acknowledged by at most the errors.
   */
  private static String check(ClosedLoopLoad.Result r, long stored) {
    if (stored < r.acknowledged()) {
      return "LOST " + (r.acknowledged() - stored);
    }
    if (stored > r.acknowledged() + r.errors()) {
      return "DUPLICATED " + (stored - r.acknowledged() - r.errors());
    }
    return stored == r.acknowledged() ? "exact" : "ok (+" + (stored - r.acknowledged()) + " of errored)";
  }

  private static List<Variant> variants(String list, int shards) throws UsageException {
    Map<String, Variant> all = new LinkedHashMap<>();
    all.put("a", new Variant("a", "unsharded, no coalescing", Map.of(
        "HOTPATH_DEFAULT_SHARDS", "1", "HOTPATH_MAX_SHARDS", "1", "HOTPATH_MAX_BATCH", "1")));
    all.put("b", new Variant("b", shards + " shards, no coalescing", Map.of(
        "HOTPATH_DEFAULT_SHARDS", Integer.toString(shards), "HOTPATH_MAX_SHARDS", Integer.toString(shards),
        "HOTPATH_MAX_BATCH", "1")));
    all.put("c", new Variant("c", "sharded + group commit (defaults)", Map.of()));
    List<Variant> chosen = new ArrayList<>();
    for (String id : list.split(",")) {
      Variant v = all.get(id.trim());
      if (v == null) {
        throw new UsageException("--variants takes a comma-separated subset of a,b,c, got '" + list + "'");
      }
      chosen.add(v);
    }
    return chosen;
  }

  private WriteApiBench() {}
}
