package dev.hotpath.local.bench;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.QueryResults;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.cloud.datastore.Transaction;
import com.google.gson.JsonParser;
import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.stack.FunctionServer;
import dev.hotpath.local.stack.OperationsStack;
import dev.hotpath.shared.config.DatastoreConfig;
import dev.hotpath.shared.config.Env;
import dev.hotpath.shared.config.RetryConfig;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.counters.CounterName;
import dev.hotpath.shared.counters.CounterService;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.datastore.Transactions;
import dev.hotpath.shared.groupcommit.CommitThreads;
import dev.hotpath.shared.operations.EntityCounters;
import dev.hotpath.shared.operations.OperationStore;
import dev.hotpath.shared.retry.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench operations}: "accept friendship" (two Friendship inserts, both users' friendCount
 * +1) from many concurrent clients under Datastore's production write limits, (a) inline in a
 * synchronous transaction that updates the user entities, (b) deferred through POST /v1/operations
 * → Cloud Tasks emulator → DeferredUpdateWorker. Every request involves one of a few hot users and
 * a fresh one; final counts are checked against accepted requests.
 */
public final class OperationsBenchmark implements Benchmark {
  private static final Set<String> VALUED =
      Set.of("duration-s", "clients", "hot-users", "inline-budget-ms", "drain-timeout-s");
  private static final String PROJECT = "bench";

  @Override
  public String name() {
    return "operations";
  }

  @Override
  public String summary() {
    return "accept-friendship transactions on hot users: inline vs deferred through Cloud Tasks";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar bench operations [FLAGS]

        Starts the Datastore emulator with production write limits (1 write/s per entity), the
        Cloud Tasks emulator, the Write API and the DeferredUpdateWorker in-process. Then, per
        variant, CLIENTS threads send "accept friendship" requests for DURATION seconds, each
        between one of HOT-USERS hot users and a fresh user:
          (a) inline: one synchronous transaction (inserts + read-modify-write of both users),
              retried on contention for at most INLINE-BUDGET-MS before the client gets an error
          (b) deferred: POST /v1/operations (202), applied by the worker; the increments land on
              sharded counters, so the hot user entity is not written per operation
        Prints accepted requests/s, client error rate, DONE/s, p50/p99 request→DONE, and
        whether the final counts equal the accepted requests.

          --duration-s N        seconds each variant sends (default 30)
          --clients N           concurrent clients (default 64)
          --hot-users N         hot users every request involves one of (default 1)
          --inline-budget-ms N  inline retry budget per request (default 10000)
          --drain-timeout-s N   longest wait for deferred operations to finish (default 300)
        """;
  }

  @Override
  public int run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, VALUED, Set.of());
    int duration = flags.positive("duration-s", 30);
    int clients = flags.positive("clients", 64);
    int hotUsers = flags.positive("hot-users", 1);
    int inlineBudget = flags.positive("inline-budget-ms", 10_000);
    int drainTimeout = flags.positive("drain-timeout-s", 300);
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty(
          "http.maxConnections", "512"); // every in-process Datastore client shares this
    }
    try (DatastoreEmulator emulator =
        DatastoreEmulator.builder().port(0).writeLimits(WriteLimits.production()).build().start()) {
      Map<String, String> env = new HashMap<>();
      env.put(Settings.EMULATOR_HOST.name(), emulator.host());
      env.put(Settings.PROJECT.name(), PROJECT);
      env.put(Settings.OPERATION_KINDS.name(), "User,Friendship");
      Datastore datastore =
          DatastoreClients.create(
              DatastoreConfig.of(PROJECT, emulator.host(), Duration.ofSeconds(30)));
      ResultTable table =
          new ResultTable(
              "variant",
              "clients",
              "seconds",
              "accepted",
              "accepted/s",
              "client errors",
              "DONE/s",
              "p50 ms →DONE",
              "p99 ms →DONE",
              "counts match",
              "hot counter shards",
              "shards needed");
      System.err.println(
          "bench operations: (a) inline, " + clients + " clients, " + duration + " s");
      Result inline = inline(datastore, clients, hotUsers, duration, inlineBudget);
      table.row(inline.cells("(a) inline transaction", clients, duration));
      emulator.reset(); // (b) starts from an empty database, so its counts are checked on their own
      System.err.println(
          "bench operations: (b) deferred, " + clients + " clients, " + duration + " s");
      Result deferred;
      try (OperationsStack operations = OperationsStack.start(0, 0, env)) {
        Map<String, String> writeApiEnv = new HashMap<>(env);
        writeApiEnv.putAll(operations.env());
        try (FunctionServer writeApi = FunctionServer.start(WriteApi.class, 0, writeApiEnv);
            CommitThreads threads = new CommitThreads("bench-reads")) {
          WriteApiConfig config = WriteApiConfig.fromEnv(env);
          CounterService counters = CounterService.from(datastore, config, threads);
          deferred =
              deferred(
                  datastore, counters, writeApi.url(), clients, hotUsers, duration, drainTimeout);
        }
      }
      table.row(deferred.cells("(b) deferred via Cloud Tasks", clients, duration));
      System.out.print(table);
      System.out.printf(
          "(b)/(a) accepted requests/s: %.1fx; DONE/s: %.1fx%n",
          deferred.acceptedPerSecond() / Math.max(1e-9, inline.acceptedPerSecond()),
          deferred.donePerSecond / Math.max(1e-9, inline.donePerSecond));
      return inline.countsMatch && deferred.countsMatch ? 0 : 1;
    }
  }

  /**
   * {@code acceptedPerSecond} over the whole load, requests still in flight at its end included.
   */
  private record Result(
      long accepted,
      long errors,
      double acceptedPerSecond,
      double donePerSecond,
      Percentiles toDone,
      boolean countsMatch,
      int hotShards,
      double hotPerSecond) {

    Object[] cells(String variant, int clients, int seconds) {
      long sent = accepted + errors;
      return new Object[] {
        variant,
        clients,
        seconds,
        accepted,
        String.format("%.1f", acceptedPerSecond),
        String.format("%.1f%%", sent == 0 ? 0 : 100.0 * errors / sent),
        String.format("%.1f", donePerSecond),
        String.format("%.0f", toDone.millis(50)),
        String.format("%.0f", toDone.millis(99)),
        countsMatch ? "yes" : "NO",
        hotShards < 0 ? "-" : hotShards,
        hotShards < 0 ? "-" : String.format("%.0f", hotPerSecond)
      };
    }
  }

  /** An accepted request: its operation id (deferred only), when it was sent, and its hot user. */
  private record Sent(String id, Instant at, String hot) {}

  /**
   * Sends one request between hot user {@code hot} and the fresh user {@code fresh}; returns its
   * operation id (null inline).
   */
  @FunctionalInterface
  private interface Request {
    String send(String hot, String fresh) throws Exception;
  }

  /** Closed-loop load; every acknowledged request is added to {@code accepted}. */
  private static LoadResult drive(
      int clients, int hotUsers, int seconds, String variant, Request request, Queue<Sent> accepted)
      throws Exception {
    AtomicLong fresh = new AtomicLong();
    return ClosedLoopLoad.run(
        clients,
        Duration.ofSeconds(seconds),
        () -> {
          String hot = variant + "-hot" + ThreadLocalRandom.current().nextInt(hotUsers);
          Instant at = Instant.now();
          accepted.add(
              new Sent(request.send(hot, variant + "-" + fresh.incrementAndGet()), at, hot));
          return true;
        });
  }

  private static Result inline(
      Datastore datastore, int clients, int hotUsers, int seconds, int budgetMillis)
      throws Exception {
    // The configured backoff (its defaults: nothing is set here) within the benchmark's budget.
    RetryPolicy backoff = RetryConfig.from(new Env(Map.of()), Settings.RETRY_BUDGET_MS);
    RetryPolicy retry =
        new RetryPolicy(
            backoff.initialBackoff(), backoff.maxBackoff(), Duration.ofMillis(budgetMillis));
    Idempotent transaction = new Idempotent(retry, Duration.ofSeconds(1));
    Queue<Sent> done = new ConcurrentLinkedQueue<>();
    LoadResult load =
        drive(
            clients,
            hotUsers,
            seconds,
            "inline",
            (hot, fresh) -> {
              transaction.run("accept friendship", () -> acceptInline(datastore, hot, fresh));
              return null;
            },
            done);
    // Inline, the answer is DONE: request→DONE is the request's latency.
    return new Result(
        load.acknowledged(),
        load.errors(),
        load.perSecond(),
        load.perSecond(),
        load.latency(),
        countsMatch(datastore, null, List.copyOf(done)),
        -1,
        0);
  }

  /** The naive inline version: both user entities are read and written in the transaction. */
  private static Void acceptInline(Datastore datastore, String hot, String fresh) {
    Key hotKey = datastore.newKeyFactory().setKind("User").newKey(hot);
    Key freshKey = datastore.newKeyFactory().setKind("User").newKey(fresh);
    Transaction txn = datastore.newTransaction();
    try {
      Map<Key, Entity> users = new HashMap<>();
      txn.get(hotKey, freshKey).forEachRemaining(e -> users.put(e.getKey(), e));
      txn.put(
          Entity.newBuilder(friendship(datastore, hot, fresh)).set("since", "2017-05-25").build());
      txn.put(
          Entity.newBuilder(friendship(datastore, fresh, hot)).set("since", "2017-05-25").build());
      for (Key user : List.of(hotKey, freshKey)) {
        Entity current = users.get(user);
        long count = current == null ? 0 : current.getLong("friendCount");
        txn.put(Entity.newBuilder(user).set("friendCount", count + 1).build());
      }
      txn.commit();
      return null;
    } finally {
      Transactions.rollbackIfActive(txn);
    }
  }

  private static Result deferred(
      Datastore datastore,
      CounterService counters,
      String url,
      int clients,
      int hotUsers,
      int seconds,
      int drainTimeout)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Queue<Sent> sent = new ConcurrentLinkedQueue<>();
    LoadResult load =
        drive(
            clients,
            hotUsers,
            seconds,
            "deferred",
            (hot, fresh) -> {
              HttpResponse<String> response =
                  http.send(
                      HttpRequest.newBuilder(URI.create(url + "/v1/operations"))
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofString(acceptFriendship(hot, fresh)))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              if (response.statusCode() != 202) {
                throw new IllegalStateException(
                    "answered " + response.statusCode() + ": " + response.body());
              }
              return JsonParser.parseString(response.body())
                  .getAsJsonObject()
                  .get("id")
                  .getAsString();
            },
            sent);
    List<Sent> accepted = List.copyOf(sent);
    System.err.println(
        "bench operations: " + accepted.size() + " accepted; waiting for them to finish");
    long drainDeadline = System.nanoTime() + drainTimeout * 1_000_000_000L;
    while (pending(datastore) > 0 && System.nanoTime() < drainDeadline) {
      Thread.sleep(250);
    }
    Map<String, Entity> records = records(datastore, accepted);
    long[] toDone = new long[accepted.size()];
    Instant first = Instant.MAX;
    Instant last = Instant.MIN;
    int n = 0;
    for (Sent request : accepted) {
      Entity record = records.get(request.id());
      if (record == null || !"DONE".equals(record.getString("state"))) {
        continue;
      }
      Instant doneAt = instant(record.getTimestamp("doneAt"));
      toDone[n++] = Duration.between(request.at(), doneAt).toNanos();
      first = request.at().isBefore(first) ? request.at() : first;
      last = doneAt.isAfter(last) ? doneAt : last;
    }
    double donePerSecond = n == 0 ? 0 : n / (Duration.between(first, last).toNanos() / 1e9);
    boolean allDone = n == accepted.size();
    if (!allDone) {
      System.err.println(
          "bench operations: only " + n + " of " + accepted.size() + " operations reached DONE");
    }
    return new Result(
        load.acknowledged(),
        load.errors(),
        load.perSecond(),
        donePerSecond,
        new Percentiles(java.util.Arrays.copyOf(toDone, n)),
        allDone && countsMatch(datastore, counters, accepted),
        hotShards(datastore, counters, accepted),
        donePerSecond / Math.max(1, accepted.stream().map(Sent::hot).distinct().count()));
  }

  /**
   * Every hot user's friendCount equals the accepted requests involving them, every fresh user's is
   * 1, and both Friendship entities of each accepted request exist. Deferred increments are read
   * back from their sharded counters ({@code counters} non-null).
   */
  private static boolean countsMatch(
      Datastore datastore, CounterService counters, List<Sent> accepted) {
    Map<String, Long> expected = new ConcurrentHashMap<>();
    accepted.forEach(s -> expected.merge(s.hot(), 1L, Long::sum));
    boolean match = true;
    for (Map.Entry<String, Long> hot : expected.entrySet()) {
      Key key = datastore.newKeyFactory().setKind("User").newKey(hot.getKey());
      long value = friendCount(datastore, counters, key);
      if (value != hot.getValue()) {
        System.err.println(
            "bench operations: "
                + hot.getKey()
                + ".friendCount is "
                + value
                + ", expected "
                + hot.getValue());
        match = false;
      }
    }
    long friendships = count(datastore, "Friendship");
    if (friendships != 2L * accepted.size()) {
      System.err.println(
          "bench operations: "
              + friendships
              + " Friendship entities, expected "
              + 2L * accepted.size());
      match = false;
    }
    return match;
  }

  /** The most shards any hot user's friendCount counter has at the end. */
  private static int hotShards(Datastore datastore, CounterService counters, List<Sent> accepted) {
    return accepted.stream()
        .map(Sent::hot)
        .distinct()
        .mapToInt(
            hot ->
                counters
                    .read(
                        new CounterName(
                            EntityCounters.counterName(
                                datastore.newKeyFactory().setKind("User").newKey(hot),
                                "friendCount")))
                    .shards())
        .max()
        .orElse(0);
  }

  private static long friendCount(Datastore datastore, CounterService counters, Key user) {
    Entity entity = datastore.get(user);
    long base =
        entity != null && entity.contains("friendCount") ? entity.getLong("friendCount") : 0;
    return counters == null
        ? base
        : base
            + counters
                .read(new CounterName(EntityCounters.counterName(user, "friendCount")))
                .value();
  }

  private static long count(Datastore datastore, String kind) {
    QueryResults<Key> keys = datastore.run(Query.newKeyQueryBuilder().setKind(kind).build());
    long n = 0;
    while (keys.hasNext()) {
      keys.next();
      n++;
    }
    return n;
  }

  private static long pending(Datastore datastore) {
    QueryResults<Key> keys =
        datastore.run(
            Query.newKeyQueryBuilder()
                .setKind(OperationStore.KIND)
                .setFilter(PropertyFilter.eq("state", "PENDING"))
                .build());
    long n = 0;
    while (keys.hasNext()) {
      keys.next();
      n++;
    }
    return n;
  }

  private static Map<String, Entity> records(Datastore datastore, List<Sent> accepted) {
    Map<String, Entity> records = new HashMap<>();
    for (int from = 0; from < accepted.size(); from += 1000) {
      Key[] keys =
          accepted.subList(from, Math.min(accepted.size(), from + 1000)).stream()
              .map(s -> datastore.newKeyFactory().setKind(OperationStore.KIND).newKey(s.id()))
              .toArray(Key[]::new);
      datastore.get(keys).forEachRemaining(e -> records.put(e.getKey().getName(), e));
    }
    return records;
  }

  private static Key friendship(Datastore datastore, String a, String b) {
    return datastore.newKeyFactory().setKind("Friendship").newKey(a + ":" + b);
  }

  static String acceptFriendship(String a, String b) {
    return "{\"mutations\": ["
        + "{\"insert\": {\"key\": {\"path\": [{\"kind\": \"Friendship\", \"name\": \""
        + a
        + ":"
        + b
        + "\"}]}, \"properties\": {\"since\": \"2017-05-25\"}}},"
        + "{\"insert\": {\"key\": {\"path\": [{\"kind\": \"Friendship\", \"name\": \""
        + b
        + ":"
        + a
        + "\"}]}, \"properties\": {\"since\": \"2017-05-25\"}}},"
        + "{\"increment\": {\"key\": {\"path\": [{\"kind\": \"User\", \"name\": \""
        + a
        + "\"}]}, \"property\": \"friendCount\", \"by\": 1}},"
        + "{\"increment\": {\"key\": {\"path\": [{\"kind\": \"User\", \"name\": \""
        + b
        + "\"}]}, \"property\": \"friendCount\", \"by\": 1}}]}";
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
