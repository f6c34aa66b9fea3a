package dev.hotpath.emulators.datastore.engine;

import com.google.datastore.v1.AggregationResultBatch;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.EntityResult;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.PartitionId;
import com.google.datastore.v1.PropertyMask;
import com.google.datastore.v1.QueryResultBatch;
import com.google.datastore.v1.ReadOptions;
import com.google.datastore.v1.RunAggregationQueryRequest;
import com.google.datastore.v1.RunAggregationQueryResponse;
import com.google.datastore.v1.RunQueryRequest;
import com.google.datastore.v1.RunQueryResponse;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import dev.hotpath.emulators.datastore.query.QueryEngine;
import dev.hotpath.emulators.datastore.store.EntityStore;
import dev.hotpath.emulators.datastore.store.Micros;
import dev.hotpath.emulators.datastore.store.PartitionKey;
import dev.hotpath.emulators.datastore.store.PartitionSnapshot;
import dev.hotpath.emulators.datastore.store.StoreKey;
import dev.hotpath.emulators.datastore.store.VersionedEntity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/** lookup, runQuery and runAggregationQuery: resolve keys, partition and read time, then read. */
final class Reads {
  static final int MAX_LOOKUP_KEYS = 1000;

  private final EntityStore store;
  private final OpenTransactions transactions;
  private final QueryEngine queries;
  private final Counters counters;

  Reads(EntityStore store, OpenTransactions transactions, QueryEngine queries, Counters counters) {
    this.store = store;
    this.transactions = transactions;
    this.queries = queries;
    this.counters = counters;
  }

  LookupResponse lookup(String project, LookupRequest request) {
    String database = request.getDatabaseId();
    if (request.getKeysCount() > MAX_LOOKUP_KEYS) {
      throw Errors.invalid(
          "a lookup may name at most " + MAX_LOOKUP_KEYS + " keys, got " + request.getKeysCount());
    }
    List<Key> keys = new ArrayList<>(request.getKeysCount());
    List<StoreKey> storeKeys = new ArrayList<>(request.getKeysCount());
    for (Key k : request.getKeysList()) {
      Key key = KeyRules.normalize(k, project, database, true);
      keys.add(key);
      storeKeys.add(StoreKey.of(key));
    }
    Set<String> mask = request.hasPropertyMask() ? topLevel(request.getPropertyMask()) : null;
    try (ReadContext ctx =
        ReadContext.open(store, transactions, project, database, request.getReadOptions(), false)) {
      LookupResponse.Builder out =
          ctx.snapshot() == ReadContext.LATEST
              ? store.readLatest(() -> read(keys, storeKeys, store.lastCommit(), true, mask))
              : read(keys, storeKeys, ctx.snapshot(), false, mask);
      storeKeys.forEach(ctx::read);
      counters.lookups.increment();
      return out.setTransaction(ctx.newTransaction()).build();
    }
  }

  private LookupResponse.Builder read(
      List<Key> keys, List<StoreKey> storeKeys, long snapshot, boolean latest, Set<String> mask) {
    LookupResponse.Builder out =
        LookupResponse.newBuilder().setReadTime(Micros.toTimestamp(snapshot));
    for (int i = 0; i < keys.size(); i++) {
      VersionedEntity found =
          latest ? store.latest(storeKeys.get(i)) : store.at(storeKeys.get(i), snapshot);
      if (found == null) {
        out.addMissing(
            EntityResult.newBuilder()
                .setEntity(Entity.newBuilder().setKey(keys.get(i)))
                .setVersion(snapshot));
      } else {
        out.addFound(
            EntityResult.newBuilder()
                .setEntity(mask == null ? found.entity() : project(found.entity(), mask))
                .setVersion(found.version())
                .setCreateTime(found.createTime())
                .setUpdateTime(found.updateTime()));
      }
    }
    return out;
  }

  private static Set<String> topLevel(PropertyMask mask) {
    Set<String> names = new HashSet<>();
    for (String path : mask.getPathsList()) {
      names.add(PropertyTransforms.path(path).get(0));
    }
    return names;
  }

  private static Entity project(Entity entity, Set<String> names) {
    Entity.Builder out = entity.toBuilder();
    for (String name : entity.getPropertiesMap().keySet()) {
      if (!names.contains(name)) {
        out.removeProperties(name);
      }
    }
    return out.build();
  }

  RunQueryResponse runQuery(String project, RunQueryRequest request) {
    requireStructured(request.hasQuery());
    return onSnapshot(
        project,
        request.getDatabaseId(),
        request.getPartitionId(),
        request.getReadOptions(),
        (ctx, snapshot) -> {
          QueryResultBatch batch = queries.run(request.getQuery(), snapshot);
          for (EntityResult r : batch.getEntityResultsList()) {
            ctx.read(StoreKey.of(r.getEntity().getKey()));
          }
          return RunQueryResponse.newBuilder()
              .setBatch(
                  batch.toBuilder()
                      .setSnapshotVersion(ctx.snapshot())
                      .setReadTime(Micros.toTimestamp(ctx.snapshot())))
              .setQuery(request.getQuery())
              .setTransaction(ctx.newTransaction())
              .build();
        });
  }

  RunAggregationQueryResponse runAggregationQuery(
      String project, RunAggregationQueryRequest request) {
    requireStructured(request.hasAggregationQuery());
    return onSnapshot(
        project,
        request.getDatabaseId(),
        request.getPartitionId(),
        request.getReadOptions(),
        (ctx, snapshot) -> {
          AggregationResultBatch batch = queries.aggregate(request.getAggregationQuery(), snapshot);
          return RunAggregationQueryResponse.newBuilder()
              .setBatch(batch.toBuilder().setReadTime(Micros.toTimestamp(ctx.snapshot())))
              .setQuery(request.getAggregationQuery())
              .setTransaction(ctx.newTransaction())
              .build();
        });
  }

  private static void requireStructured(boolean structured) {
    if (!structured) {
      throw new EmulatorException(
          Code.UNIMPLEMENTED,
          "GQL queries are not supported by this emulator; send a structured query");
    }
  }

  /** Runs {@code read} on the partition's snapshot that the read options select. */
  private <T> T onSnapshot(
      String project,
      String database,
      PartitionId partitionId,
      ReadOptions options,
      BiFunction<ReadContext, PartitionSnapshot, T> read) {
    PartitionKey partition = partition(project, database, partitionId);
    try (ReadContext ctx =
        ReadContext.open(store, transactions, project, database, options, true)) {
      return read.apply(ctx, store.snapshot(partition, ctx.snapshot()));
    }
  }

  private static PartitionKey partition(String project, String database, PartitionId given) {
    PartitionId p = KeyRules.partition(given, project, database);
    return new PartitionKey(p.getProjectId(), p.getDatabaseId(), p.getNamespaceId());
  }
}
