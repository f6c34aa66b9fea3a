package dev.hotpath.local.bench;

import com.google.datastore.v1.DatastoreGrpc;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Single-entity commits and single-key lookups through the Datastore API's generated asynchronous
 * gRPC stub ({@code DatastoreGrpc} on grpc-java, what the client library's gRPC transport is built
 * on), with a fixed number of calls in flight over one connection per core, each answered on the
 * connection's network thread, which starts the next call.
 *
 * <p>Why it exists: the library client spends about 100 µs of CPU per gRPC call (call objects,
 * retry and tracing layers, a thread hand-off per call), more than either emulator spends answering
 * one. On two cores that client, not the server, then decides ops/s, and a comparison of servers
 * shows mostly the client. This load generator spends about 12 µs per call, so the servers' own
 * capacity shows. Every server in a comparison gets the same generator.
 */
final class PipelinedGrpcCalls implements AutoCloseable {
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final int inFlight;

  /**
   * @param host {@code host:port} of a server speaking gRPC in plaintext
   * @param inFlight calls outstanding at any moment, spread over the connections
   */
  PipelinedGrpcCalls(String host, int inFlight) {
    this.inFlight = inFlight;
    // One connection per core: a server that answers on its network threads can use every core.
    int connections = Math.min(inFlight, Runtime.getRuntime().availableProcessors());
    for (int i = 0; i < connections; i++) {
      channels.add(ManagedChannelBuilder.forTarget(host).usePlaintext().directExecutor().build());
    }
  }

  /** Upserts of keys never written before. */
  DatastoreOperations.Load commits(AtomicLong written) {
    return seconds ->
        run(
            seconds,
            (stub, done) ->
                stub.commit(
                    DatastoreOperations.freshUpsert(written.incrementAndGet()),
                    new Outcome<>(done, response -> null)));
  }

  /** Lookups of random entities among the {@code keys} seeded ones. */
  DatastoreOperations.Load lookups(int keys) {
    return seconds ->
        run(
            seconds,
            (stub, done) ->
                stub.lookup(
                    DatastoreOperations.seededLookup(ThreadLocalRandom.current().nextInt(keys)),
                    new Outcome<>(
                        done,
                        response ->
                            response.getFoundCount() == 1
                                ? null
                                : new IllegalStateException("a seeded entity is missing"))));
  }

  /** Starts one call; {@code done} then gets null on success, else the failure. */
  @FunctionalInterface
  private interface Call {
    void start(DatastoreGrpc.DatastoreStub stub, Consumer<Throwable> done);
  }

  /** A unary call's outcome: the response's own check, or the call's failure. */
  private static final class Outcome<T> implements StreamObserver<T> {
    private final Consumer<Throwable> done;
    private final Function<T, Throwable> check;
    private Throwable failure;

    Outcome(Consumer<Throwable> done, Function<T, Throwable> check) {
      this.done = done;
      this.check = check;
    }

    @Override
    public void onNext(T response) {
      failure = check.apply(response);
    }

    @Override
    public void onError(Throwable t) {
      done.accept(t);
    }

    @Override
    public void onCompleted() {
      done.accept(failure);
    }
  }

  private DatastoreOperations.Phase run(int seconds, Call call) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong errors = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(inFlight);
    List<Lane> lanes = new ArrayList<>();
    for (int i = 0; i < inFlight; i++) {
      lanes.add(
          new Lane(
              DatastoreGrpc.newStub(channels.get(i % channels.size())),
              call,
              deadline,
              errors,
              finished));
    }
    lanes.forEach(Lane::next);
    if (!finished.await(seconds + 60L, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          "bench datastore: calls still unanswered 60 s after the measured seconds");
    }
    long[] all =
        lanes.stream().flatMapToLong(lane -> Arrays.stream(lane.samples, 0, lane.n)).toArray();
    return new DatastoreOperations.Phase(all, errors.get());
  }

  /** One call after another until the deadline: {@code inFlight} lanes run side by side. */
  private static final class Lane {
    private final DatastoreGrpc.DatastoreStub stub;
    private final Call call;
    private final long deadline;
    private final AtomicLong errors;
    private final CountDownLatch finished;
    private long[] samples = new long[1024];
    private int n;
    private long started;

    Lane(
        DatastoreGrpc.DatastoreStub stub,
        Call call,
        long deadline,
        AtomicLong errors,
        CountDownLatch finished) {
      this.stub = stub;
      this.call = call;
      this.deadline = deadline;
      this.errors = errors;
      this.finished = finished;
    }

    void next() {
      started = System.nanoTime();
      if (started >= deadline) {
        finished.countDown();
        return;
      }
      // Started from the root context: inside a finished call's callback, each new call would
      // otherwise become a child of the last, a chain that grows by one per call.
      Context.ROOT.run(() -> call.start(stub, this::completed));
    }

    private void completed(Throwable failure) {
      if (failure == null) {
        if (n == samples.length) {
          samples = Arrays.copyOf(samples, n * 2);
        }
        samples[n++] = System.nanoTime() - started;
        next();
        return;
      }
      if (errors.getAndIncrement() == 0) {
        System.err.println("bench datastore: first error: " + failure);
      }
      // A failure can arrive on the caller's own stack (e.g. no connection): starting the next
      // call elsewhere keeps a run of failures from growing the stack.
      ForkJoinPool.commonPool().execute(this::next);
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
