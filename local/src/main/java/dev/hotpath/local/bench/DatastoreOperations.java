package dev.hotpath.local.bench;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.Mutation;
import com.google.datastore.v1.Value;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hotpath.datastoreclient.EmulatorGrpcRpc;
import dev.hotpath.emulators.http.HttpWire;
import dev.hotpath.local.flags.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What {@code bench datastore} measures against one server: single-entity commits (each an upsert
 * of a key never written before, so no two commits touch one entity) and single-key lookups of
 * seeded entities, over one transport, driven by one kind of client.
 *
 * @param inFlight calls outstanding at any moment
 * @param resources what to close after the last run
 */
record DatastoreOperations(Load commit, Load lookup, int inFlight, AutoCloseable resources) {
  /** The project every benchmark request names. */
  static final String PROJECT_ID = "bench";

  private static final String SEEDED_KIND = "Bench";
  private static final String WRITTEN_KIND = "Written";
  private static final String PROTOBUF = "application/x-protobuf";

  /** Entities per commit while seeding (the production cap). */
  private static final int SEED_BATCH = 500;

  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  /** The wire protocol. */
  enum Transport {
    HTTP("http"),
    GRPC("grpc");

    final String label;

    Transport(String label) {
      this.label = label;
    }

    static List<Transport> parse(String spec) throws UsageException {
      return oneOrBoth("transport", spec, values(), t -> t.label);
    }
  }

  /** A two-valued flag's choice: one value by its label, or both. */
  private static <E> List<E> oneOrBoth(
      String flag, String spec, E[] values, Function<E, String> label) throws UsageException {
    if (spec.equals("both")) {
      return List.of(values);
    }
    for (E value : values) {
      if (label.apply(value).equals(spec)) {
        return List.of(value);
      }
    }
    throw new UsageException(
        "--"
            + flag
            + " must be "
            + label.apply(values[0])
            + ", "
            + label.apply(values[1])
            + " or both, got '"
            + spec
            + "'");
  }

  /** Who sends the calls. */
  enum Client {
    /**
     * The real google-cloud-datastore client from {@code --threads} threads, one call each: over
     * HTTP its default transport (google-http-client on HttpURLConnection), over gRPC its gRPC stub
     * via {@link EmulatorGrpcRpc}. What an application sees.
     */
    LIBRARY("library"),
    /**
     * A load generator that costs little CPU per call, so that a server's own capacity shows: over
     * HTTP the benchmarks' {@link KeepAliveClient} posting the same protobuf requests from {@code
     * --threads} threads, over gRPC the API's generated asynchronous stub with {@code --in-flight}
     * calls outstanding ({@link PipelinedGrpcCalls}).
     */
    GENERATOR("generator");

    final String label;

    Client(String label) {
      this.label = label;
    }

    static List<Client> parse(String spec) throws UsageException {
      return oneOrBoth("client", spec, values(), c -> c.label);
    }
  }

  /** How the load reaches a server: over which transport, from which client. */
  record Driver(Transport transport, Client client) {
    static List<Driver> every(List<Transport> transports, List<Client> clients) {
      List<Driver> drivers = new ArrayList<>();
      for (Transport transport : transports) {
        for (Client client : clients) {
          drivers.add(new Driver(transport, client));
        }
      }
      return List.copyOf(drivers);
    }

    String label() {
      return transport.label + " from the " + client.label;
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

    Load of(DatastoreOperations operations) {
      return this == COMMIT ? operations.commit() : operations.lookup();
    }
  }

  /** Runs one operation for the given seconds, recording each call. */
  @FunctionalInterface
  interface Load {
    Phase run(int seconds) throws Exception;
  }

  /** The latency of every call that succeeded, and how many failed. */
  record Phase(long[] nanos, long errors) {}

  /**
   * @param threads for the blocking clients: threads, one call in flight each
   * @param inFlight for the pipelined gRPC stub: calls in flight
   * @param keys how many entities {@link #seed} wrote, which the lookups read
   * @param written counts the commits' fresh keys, shared by everything that writes to one server
   */
  static DatastoreOperations over(
      String host, Driver driver, int threads, int inFlight, int keys, AtomicLong written) {
    if (driver.client() == Client.LIBRARY) {
      return library(host, driver.transport(), threads, keys, written);
    }
    if (driver.transport() == Transport.GRPC) {
      PipelinedGrpcCalls calls = new PipelinedGrpcCalls(host, inFlight);
      return new DatastoreOperations(calls.commits(written), calls.lookups(keys), inFlight, calls);
    }
    KeepAliveClient http = new KeepAliveClient("http://" + host);
    Runnable commit =
        () -> post(http, "commit", freshUpsert(written.incrementAndGet()).toByteArray());
    Runnable lookup =
        () -> {
          byte[] answer =
              post(
                  http,
                  "lookup",
                  seededLookup(ThreadLocalRandom.current().nextInt(keys)).toByteArray());
          try {
            if (LookupResponse.parseFrom(answer).getFoundCount() != 1) {
              throw new IllegalStateException("a seeded entity is missing");
            }
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a lookup answered a malformed LookupResponse", e);
          }
        };
    return blocking(commit, lookup, threads, http);
  }

  private static DatastoreOperations library(
      String host, Transport transport, int threads, int keys, AtomicLong written) {
    Datastore client = libraryClient(host, transport);
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
    // the HTTP client holds no channel (its close() is unsupported)
    return blocking(
        commit, lookup, threads, transport == Transport.GRPC ? client::close : () -> {});
  }

  /** Operations that {@code threads} threads call back to back, one call in flight each. */
  private static DatastoreOperations blocking(
      Runnable commit, Runnable lookup, int threads, AutoCloseable resources) {
    return new DatastoreOperations(
        seconds -> measure(commit, threads, seconds),
        seconds -> measure(lookup, threads, seconds),
        threads,
        resources);
  }

  private static Datastore libraryClient(String host, Transport transport) {
    DatastoreOptions.Builder options =
        transport == Transport.HTTP
            ? DatastoreOptions.newBuilder()
                .setHost(host)
                .setCredentials(NoCredentials.getInstance())
            : EmulatorGrpcRpc.optionsFor(host);
    return options.setProjectId(PROJECT_ID).build().getService();
  }

  /**
   * One Datastore method over HTTP, as the library's HTTP transport calls it; the answer's body.
   */
  private static byte[] post(KeepAliveClient http, String method, byte[] request) {
    HttpWire.Response response;
    try {
      response =
          http.post("/v1/projects/" + PROJECT_ID + ":" + method, PROTOBUF, Map.of(), request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (response.status() != 200 || response.body() == null) {
      throw new IllegalStateException(method + " answered HTTP " + response.status());
    }
    return response.body();
  }

  /** Writes the {@code keys} entities the lookups read, in commits of {@value #SEED_BATCH}. */
  static void seed(String host, int keys) {
    Datastore client = libraryClient(host, Transport.HTTP);
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

  private static String seededKeyName(int i) {
    return "k" + i;
  }

  private static String freshKeyName(long n) {
    return "w" + n;
  }

  /** The generators' commit: what the library sends for {@code put} of a fresh entity. */
  static CommitRequest freshUpsert(long n) {
    return CommitRequest.newBuilder()
        .setProjectId(PROJECT_ID)
        .setMode(CommitRequest.Mode.NON_TRANSACTIONAL)
        .addMutations(
            Mutation.newBuilder()
                .setUpsert(
                    com.google.datastore.v1.Entity.newBuilder()
                        .setKey(protoKey(WRITTEN_KIND, freshKeyName(n)))
                        .putProperties(
                            "n",
                            Value.newBuilder()
                                .setIntegerValue(ThreadLocalRandom.current().nextLong())
                                .build())))
        .build();
  }

  /** The generators' lookup of seeded entity {@code i}. */
  static LookupRequest seededLookup(int i) {
    return LookupRequest.newBuilder()
        .setProjectId(PROJECT_ID)
        .addKeys(protoKey(SEEDED_KIND, seededKeyName(i)))
        .build();
  }

  private static com.google.datastore.v1.Key protoKey(String kind, String name) {
    return com.google.datastore.v1.Key.newBuilder()
        .addPath(com.google.datastore.v1.Key.PathElement.newBuilder().setKind(kind).setName(name))
        .build();
  }

  /** Runs {@code op} on {@code threads} threads, back to back, for {@code seconds}. */
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
      for (Future<long[]> f : futures) {
        parts.add(f.get());
      }
      long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
      return new Phase(all, errors.get());
    } finally {
      workers.shutdownNow();
    }
  }
}
