package dev.hotpath.emulators.datastore.engine;

import com.google.datastore.v1.AllocateIdsRequest;
import com.google.datastore.v1.AllocateIdsResponse;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.BeginTransactionResponse;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.Key.PathElement;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.ReserveIdsRequest;
import com.google.datastore.v1.ReserveIdsResponse;
import com.google.datastore.v1.RollbackRequest;
import com.google.datastore.v1.RollbackResponse;
import com.google.datastore.v1.RunAggregationQueryRequest;
import com.google.datastore.v1.RunAggregationQueryResponse;
import com.google.datastore.v1.RunQueryRequest;
import com.google.datastore.v1.RunQueryResponse;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.emulators.datastore.query.QueryEngine;
import dev.hotpath.emulators.datastore.store.CommitRecord;
import dev.hotpath.emulators.datastore.store.EntityStore;
import dev.hotpath.emulators.datastore.store.Storage;
import dev.hotpath.emulators.datastore.store.StoreKey;
import dev.hotpath.emulators.datastore.store.VersionedEntity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Datastore service behind both edges, HTTP/1.1 ({@code DatastoreHttpServer}, the project from
 * the URL) and gRPC ({@code DatastoreGrpcService}, the project from the request): one method per
 * RPC, taking the project and the decoded request. It puts the layers together: {@link Reads}
 * (lookups and queries through the {@link QueryEngine}, checked against the composite indexes when
 * {@link #setIndexes} was given some), {@link Commits} (within the {@link WriteLimits}), {@link
 * OpenTransactions}, id allocation, over the in-memory {@code EntityStore} and the {@link Storage}
 * that makes commits durable. Failures are {@link dev.hotpath.emulators.EmulatorException}s
 * carrying the gRPC code. Injected faults are decided here, per call.
 */
public final class DatastoreEngine {
  private final EntityStore store = new EntityStore();
  private final Storage storage;
  private final Counters counters = new Counters();
  private final CommitClock clock = new CommitClock();
  private final IdAllocator ids = new IdAllocator();
  private final OpenTransactions transactions;
  private final ContentionLimiter limiter;
  private final FaultInjector faults;
  private final Reads reads;
  private final Commits commits;
  private volatile CompositeIndexes indexes;
  private volatile long commitLatencyNanos;

  /**
   * Write budgets refill and transactions expire by {@code ticker} ({@link Ticker#SYSTEM} outside
   * tests).
   */
  public DatastoreEngine(
      Storage storage,
      WriteLimits limits,
      Faults faults,
      Duration transactionIdleTimeout,
      Ticker ticker) {
    this.storage = storage;
    this.transactions = new OpenTransactions(store, transactionIdleTimeout, ticker);
    this.limiter = new ContentionLimiter(limits);
    this.faults = new FaultInjector(faults);
    this.reads = new Reads(store, transactions, new QueryEngine(), counters);
    this.commits = new Commits(store, storage, transactions, ids, limiter, clock, ticker, counters);
  }

  /** Loads what storage holds, then compacts it to one snapshot. Call once, before serving. */
  public void load() throws IOException {
    try {
      store.write(
          () -> {
            try {
              storage.load(this::replay);
              store.publish(clock.next());
              List<VersionedEntity> all = new ArrayList<>();
              store.forEachLatest((key, entity) -> all.add(entity));
              storage.rewrite(all, store.lastCommit());
              return null;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void replay(CommitRecord record) {
    clock.advancePast(record.commit());
    for (VersionedEntity e : record.written()) {
      reserveId(e.entity().getKey());
      store.install(StoreKey.of(e.entity().getKey()), e, e.version());
    }
    for (Key k : record.deleted()) {
      store.install(StoreKey.of(k), null, record.commit());
    }
  }

  private void reserveId(Key key) {
    PathElement last = key.getPath(key.getPathCount() - 1);
    if (last.getIdTypeCase() == PathElement.IdTypeCase.ID) {
      ids.reserve(last.getId());
    }
  }

  public LookupResponse lookup(String project, LookupRequest request) {
    return withFaults(() -> reads.lookup(project, request));
  }

  /** Enforces composite indexes like production from now on; null: any query runs. */
  public void setIndexes(CompositeIndexes indexes) {
    this.indexes = indexes;
  }

  public RunQueryResponse runQuery(String project, RunQueryRequest request) {
    checkIndexes(request.getQuery());
    return withFaults(() -> reads.runQuery(project, request));
  }

  public RunAggregationQueryResponse runAggregationQuery(
      String project, RunAggregationQueryRequest request) {
    checkIndexes(request.getAggregationQuery().getNestedQuery());
    return withFaults(() -> reads.runAggregationQuery(project, request));
  }

  private void checkIndexes(Query query) {
    CompositeIndexes enforced = indexes;
    if (enforced != null) {
      enforced.check(query);
    }
  }

  public BeginTransactionResponse beginTransaction(
      String project, BeginTransactionRequest request) {
    return withFaults(
        () ->
            BeginTransactionResponse.newBuilder()
                .setTransaction(
                    transactions.begin(
                            project, request.getDatabaseId(), request.getTransactionOptions())
                        .id)
                .build());
  }

  /**
   * Adds {@code latency} to every commit from now on (zero: none), to model production's round
   * trip. It is spent before the commit is applied, holding no lock, so commits overlap as they do
   * in production. Before rather than after: most of a production commit's time is the replicated
   * write that precedes its commit timestamp, and meanwhile the transaction stays open (others'
   * commits can still invalidate its reads) and the write has not yet counted against the entity's
   * write budget — delaying only the response would apply every commit instantly and understate
   * contention.
   */
  public void setCommitLatency(Duration latency) {
    this.commitLatencyNanos = latency.toNanos();
  }

  public CommitResponse commit(String project, CommitRequest request) {
    counters.calls.increment();
    awaitCommitLatency();
    FaultInjector.Fault fault = faults.draw(true);
    if (fault == FaultInjector.Fault.NONE) {
      return commits.commit(project, request);
    }
    counters.injectedFaults.increment();
    if (fault == FaultInjector.Fault.LOST_RESPONSE) {
      commits.commit(project, request);
      throw FaultInjector.error(FaultInjector.Fault.DEADLINE_EXCEEDED);
    }
    throw FaultInjector.error(fault);
  }

  private void awaitCommitLatency() {
    long nanos = commitLatencyNanos;
    if (nanos <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmulatorException(Code.UNAVAILABLE, "the emulator is shutting down");
    }
  }

  public RollbackResponse rollback(String project, RollbackRequest request) {
    return withFaults(
        () -> {
          transactions.rollback(request.getTransaction(), project, request.getDatabaseId());
          return RollbackResponse.getDefaultInstance();
        });
  }

  public AllocateIdsResponse allocateIds(String project, AllocateIdsRequest request) {
    return withFaults(
        () -> {
          AllocateIdsResponse.Builder out = AllocateIdsResponse.newBuilder();
          for (Key k : request.getKeysList()) {
            Key key = KeyRules.normalize(k, project, request.getDatabaseId(), false);
            if (KeyRules.complete(key)) {
              throw Errors.invalid(
                  "allocateIds needs incomplete keys; " + Errors.describe(key) + " is complete");
            }
            int last = key.getPathCount() - 1;
            out.addKeys(
                key.toBuilder().setPath(last, key.getPath(last).toBuilder().setId(ids.next())));
          }
          return out.build();
        });
  }

  public ReserveIdsResponse reserveIds(String project, ReserveIdsRequest request) {
    return withFaults(
        () -> {
          for (Key k : request.getKeysList()) {
            reserveId(KeyRules.normalize(k, project, request.getDatabaseId(), true));
          }
          return ReserveIdsResponse.getDefaultInstance();
        });
  }

  /** Every call but a commit comes through here: counted, and given its chance of a fault. */
  private <T> T withFaults(Supplier<T> call) {
    counters.calls.increment();
    FaultInjector.Fault fault = faults.draw(false);
    if (fault != FaultInjector.Fault.NONE) {
      counters.injectedFaults.increment();
      throw FaultInjector.error(fault);
    }
    return call.get();
  }

  /** Deletes all data, ends every transaction and zeroes the counters. */
  public void reset() throws IOException {
    transactions.clear();
    try {
      store.write(
          () -> {
            try {
              store.clear();
              storage.clear();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            limiter.clear();
            ids.clear();
            store.publish(clock.next());
            return null;
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    counters.reset();
  }

  /** Ends transactions past their time; the emulator calls this periodically. */
  public void expireTransactions() {
    transactions.expire();
  }

  public void setFaults(Faults faults) {
    this.faults.set(faults);
  }

  public void setWriteLimits(WriteLimits limits) {
    limiter.set(limits);
  }

  public EmulatorStats stats() {
    return counters.snapshot();
  }
}
