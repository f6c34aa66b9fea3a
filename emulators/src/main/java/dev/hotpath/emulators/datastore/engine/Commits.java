package dev.hotpath.emulators.datastore.engine;

import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.Key.PathElement;
import com.google.datastore.v1.Mutation;
import com.google.datastore.v1.MutationResult;
import com.google.datastore.v1.Value;
import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import dev.hotpath.emulators.datastore.store.CommitRecord;
import dev.hotpath.emulators.datastore.store.EntityStore;
import dev.hotpath.emulators.datastore.store.Micros;
import dev.hotpath.emulators.datastore.store.Storage;
import dev.hotpath.emulators.datastore.store.StoreKey;
import dev.hotpath.emulators.datastore.store.VersionedEntity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Commits: checks every mutation before anything changes, then, as the only writer, checks
 * transaction conflicts, write limits and preconditions, records the commit in storage and installs
 * it. Any failure leaves the data untouched, so a commit is all mutations or none.
 */
final class Commits {
  /**
   * The limits page: "Maximum API request size: 10 MiB" and "Maximum size of a transaction: 10
   * MiB". It lists no cap on the number of mutations (the old 500 is gone from it, and Google's
   * emulators have none).
   */
  static final int MAX_REQUEST_BYTES = 10 << 20;

  private final EntityStore store;
  private final Storage storage;
  private final OpenTransactions transactions;
  private final IdAllocator ids;
  private final ContentionLimiter limiter;
  private final CommitClock clock;
  private final Ticker ticker;
  private final Counters counters;

  Commits(
      EntityStore store,
      Storage storage,
      OpenTransactions transactions,
      IdAllocator ids,
      ContentionLimiter limiter,
      CommitClock clock,
      Ticker ticker,
      Counters counters) {
    this.store = store;
    this.storage = storage;
    this.transactions = transactions;
    this.ids = ids;
    this.limiter = limiter;
    this.clock = clock;
    this.ticker = ticker;
    this.counters = counters;
  }

  /** One mutation, checked, with its final key (ids allocated). */
  private record Planned(
      Mutation mutation, Key key, StoreKey storeKey, Entity entity, boolean allocated) {}

  /** What the critical section decided. */
  private record Applied(long commit, List<MutationResult> results, long ticket) {}

  CommitResponse commit(String project, CommitRequest request) {
    if (request.getSerializedSize() > MAX_REQUEST_BYTES) {
      throw Errors.invalid(
          "a commit request may be at most 10 MiB ("
              + MAX_REQUEST_BYTES
              + " bytes), got "
              + request.getSerializedSize());
    }
    String database = request.getDatabaseId();
    Transaction txn = transactionOf(project, request);
    try {
      boolean readOnly =
          txn != null
              ? txn.readOnly
              : request.hasSingleUseTransaction()
                  && request.getSingleUseTransaction().hasReadOnly();
      if (readOnly && request.getMutationsCount() > 0) {
        throw Errors.invalid(
            "a read-only transaction cannot write; its commit must have no mutations");
      }
      List<Planned> planned =
          plan(
              project,
              database,
              request.getMutationsList(),
              txn != null || request.hasSingleUseTransaction());
      Applied applied = store.write(() -> apply(planned, txn));
      try {
        storage.awaitDurable(applied.ticket());
      } catch (IOException e) {
        throw new EmulatorException(
            Code.INTERNAL, "could not make the commit durable: " + e.getMessage());
      }
      return CommitResponse.newBuilder()
          .addAllMutationResults(applied.results())
          .setCommitTime(Micros.toTimestamp(applied.commit()))
          .build();
    } finally {
      if (txn != null) {
        transactions.release(txn);
      }
    }
  }

  private Transaction transactionOf(String project, CommitRequest request) {
    CommitRequest.Mode mode = request.getMode();
    if (request.hasTransaction()) {
      if (mode == CommitRequest.Mode.NON_TRANSACTIONAL) {
        throw Errors.invalid("a NON_TRANSACTIONAL commit must not name a transaction");
      }
      return transactions.take(request.getTransaction(), project, request.getDatabaseId());
    }
    if (mode == CommitRequest.Mode.TRANSACTIONAL && !request.hasSingleUseTransaction()) {
      throw Errors.invalid("a TRANSACTIONAL commit needs a transaction or single_use_transaction");
    }
    if (mode == CommitRequest.Mode.NON_TRANSACTIONAL && request.hasSingleUseTransaction()) {
      throw Errors.invalid("a NON_TRANSACTIONAL commit must not have a single_use_transaction");
    }
    return null;
  }

  /**
   * datastore.proto, CommitRequest.mutations: "When mode is TRANSACTIONAL, mutations affecting a
   * single entity are applied in order. The following sequences of mutations affecting a single
   * entity are not permitted in a single Commit request: insert followed by insert, update followed
   * by insert, upsert followed by insert, delete followed by update. When mode is
   * NON_TRANSACTIONAL, no two mutations may affect a single entity."
   */
  private static void checkSequence(
      Mutation.OperationCase previous, Mutation m, Key key, boolean transactional) {
    if (previous == null) {
      return;
    }
    if (!transactional) {
      throw Errors.invalid(
          "a non-transactional commit cannot have more than one mutation for the same entity: "
              + Errors.describe(key));
    }
    Mutation.OperationCase next = m.getOperationCase();
    if ((next == Mutation.OperationCase.INSERT && previous != Mutation.OperationCase.DELETE)
        || (next == Mutation.OperationCase.UPDATE && previous == Mutation.OperationCase.DELETE)) {
      throw Errors.invalid(
          "a commit cannot "
              + next.name().toLowerCase()
              + " an entity after a "
              + previous.name().toLowerCase()
              + " of it: "
              + Errors.describe(key));
    }
  }

  private List<Planned> plan(
      String project, String database, List<Mutation> mutations, boolean transactional) {
    List<Planned> planned = new ArrayList<>(mutations.size());
    Map<StoreKey, Mutation.OperationCase> previous = new HashMap<>();
    for (Mutation m : mutations) {
      Entity entity;
      Key given;
      switch (m.getOperationCase()) {
        case INSERT -> entity = m.getInsert();
        case UPSERT -> entity = m.getUpsert();
        case UPDATE -> entity = m.getUpdate();
        case DELETE -> entity = null;
        default ->
            throw Errors.invalid("a mutation has no operation (insert, update, upsert or delete)");
      }
      if (entity != null && !entity.hasKey()) {
        throw Errors.invalid(
            "the entity of a " + m.getOperationCase().name().toLowerCase() + " has no key");
      }
      given = entity == null ? m.getDelete() : entity.getKey();
      boolean mayAllocate = m.hasInsert() || m.hasUpsert();
      Key key = KeyRules.normalize(given, project, database, !mayAllocate);
      if (entity == null && m.getPropertyTransformsCount() > 0) {
        throw Errors.invalid("a delete cannot have property transforms");
      }
      if (entity == null && m.hasPropertyMask()) {
        throw Errors.invalid("a delete cannot have a property mask");
      }
      PropertyTransforms.check(m.getPropertyTransformsList());
      if (m.getConflictResolutionStrategy()
              != Mutation.ConflictResolutionStrategy.STRATEGY_UNSPECIFIED
          && m.getConflictDetectionStrategyCase()
              == Mutation.ConflictDetectionStrategyCase.CONFLICTDETECTIONSTRATEGY_NOT_SET) {
        // datastore.proto: "If this is set, then conflict_detection_strategy must also be set."
        throw Errors.invalid(
            "a mutation with a conflict_resolution_strategy needs a base_version or update_time");
      }
      if (m.hasPropertyMask()) {
        for (String p : m.getPropertyMask().getPathsList()) {
          PropertyTransforms.path(p);
        }
      }
      boolean allocated = !KeyRules.complete(key);
      if (allocated) {
        PathElement last =
            key.getPath(key.getPathCount() - 1).toBuilder().setId(ids.next()).build();
        key = key.toBuilder().setPath(key.getPathCount() - 1, last).build();
      } else {
        reserveUsedId(key);
      }
      StoreKey storeKey = StoreKey.of(key);
      checkSequence(previous.put(storeKey, m.getOperationCase()), m, key, transactional);
      Entity stored = null;
      if (entity != null) {
        stored = EntityRules.properties(entity).toBuilder().setKey(key).build();
        EntityRules.checkSize(stored);
      }
      planned.add(new Planned(m, key, storeKey, stored, allocated));
    }
    return planned;
  }

  private void reserveUsedId(Key key) {
    PathElement last = key.getPath(key.getPathCount() - 1);
    if (last.getIdTypeCase() == PathElement.IdTypeCase.ID) {
      ids.reserve(last.getId());
    }
  }

  /** The critical section: runs as the only writer. */
  private Applied apply(List<Planned> planned, Transaction txn) {
    if (txn != null) {
      checkConflicts(planned, txn);
    }
    if (!limiter.tryAcquire(planned.stream().map(Planned::key).toList(), ticker.nanos())) {
      counters.aborted.increment();
      throw Errors.aborted(WriteLimits.CONTENTION_MESSAGE);
    }
    long commit = clock.next();
    Timestamp now = Micros.toTimestamp(commit);
    List<MutationResult> results = new ArrayList<>(planned.size());
    // Mutations of one entity apply in order: each sees the state the previous one left (an
    // empty Optional: deleted); the last state of each entity is what the commit stores.
    Map<StoreKey, Optional<VersionedEntity>> after = new LinkedHashMap<>();
    Map<StoreKey, Key> keys = new HashMap<>();
    for (Planned p : planned) {
      Optional<VersionedEntity> earlier = after.get(p.storeKey());
      VersionedEntity current = earlier != null ? earlier.orElse(null) : store.latest(p.storeKey());
      MutationResult.Builder result = MutationResult.newBuilder();
      if (p.allocated()) {
        result.setKey(p.key());
      }
      if (conflicts(p.mutation(), current)) {
        if (p.mutation().getConflictResolutionStrategy()
            == Mutation.ConflictResolutionStrategy.FAIL) {
          // "FAIL: The whole commit request fails."
          throw new EmulatorException(
              Code.FAILED_PRECONDITION,
              "the stored version ("
                  + (current == null ? 0 : current.version())
                  + ") of "
                  + Errors.describe(p.key())
                  + " does not match the mutation's precondition, and its conflict_resolution_strategy is FAIL");
        }
        counters.conflicts.increment();
        result.setConflictDetected(true).setVersion(current == null ? commit : current.version());
        if (current != null) {
          result.setCreateTime(current.createTime()).setUpdateTime(current.updateTime());
        }
        results.add(result.build());
        continue;
      }
      switch (p.mutation().getOperationCase()) {
        case INSERT -> {
          if (current != null) {
            throw new EmulatorException(
                Code.ALREADY_EXISTS, "entity already exists: " + Errors.describe(p.key()));
          }
        }
        case UPDATE -> {
          if (current == null) {
            throw new EmulatorException(
                Code.NOT_FOUND, "no entity to update: " + Errors.describe(p.key()));
          }
        }
        default -> {}
      }
      keys.put(p.storeKey(), p.key());
      if (p.entity() == null) {
        after.put(p.storeKey(), Optional.empty());
        results.add(result.setVersion(commit).build());
        continue;
      }
      Entity entity = masked(p, current);
      if (p.mutation().getPropertyTransformsCount() > 0) {
        PropertyTransforms.Outcome outcome =
            PropertyTransforms.apply(entity, p.mutation().getPropertyTransformsList(), commit);
        entity = outcome.entity();
        EntityRules.checkSize(entity);
        result.addAllTransformResults(outcome.results());
      }
      Timestamp created = current == null ? now : current.createTime();
      after.put(p.storeKey(), Optional.of(new VersionedEntity(entity, commit, created, now)));
      results.add(result.setVersion(commit).setCreateTime(created).setUpdateTime(now).build());
    }
    List<VersionedEntity> written = new ArrayList<>();
    List<Key> deleted = new ArrayList<>();
    List<StoreKey> writtenKeys = new ArrayList<>();
    List<StoreKey> deletedKeys = new ArrayList<>();
    after.forEach(
        (storeKey, state) -> {
          if (state.isPresent()) {
            written.add(state.get());
            writtenKeys.add(storeKey);
          } else {
            deleted.add(keys.get(storeKey));
            deletedKeys.add(storeKey);
          }
        });
    long ticket;
    try {
      ticket = storage.append(new CommitRecord(commit, written, deleted));
    } catch (IOException e) {
      throw new EmulatorException(Code.INTERNAL, "could not store the commit: " + e.getMessage());
    }
    for (int i = 0; i < written.size(); i++) {
      store.install(writtenKeys.get(i), written.get(i), commit);
    }
    for (StoreKey k : deletedKeys) {
      store.install(k, null, commit);
    }
    store.publish(commit);
    counters.commits.increment();
    counters.entityWrites.add(written.size() + deleted.size());
    return new Applied(commit, results, ticket);
  }

  private void checkConflicts(List<Planned> planned, Transaction txn) {
    Set<StoreKey> touched = new HashSet<>(txn.reads);
    for (Planned p : planned) {
      if (!p.allocated()) {
        touched.add(p.storeKey());
      }
    }
    for (StoreKey k : touched) {
      if (store.lastModified(k) > txn.snapshot) {
        counters.aborted.increment();
        throw Errors.aborted(
            "transaction aborted: too much contention on these datastore entities (one it read or writes was changed by another commit since it began); retry the transaction");
      }
    }
  }

  /** Whether a base_version or update_time precondition fails against {@code current}. */
  private static boolean conflicts(Mutation m, VersionedEntity current) {
    return switch (m.getConflictDetectionStrategyCase()) {
      case BASE_VERSION -> m.getBaseVersion() != (current == null ? 0 : current.version());
      case UPDATE_TIME ->
          current == null
              || !Micros.toTimestamp(Micros.of(m.getUpdateTime())).equals(current.updateTime());
      default -> false;
    };
  }

  /** The entity to store: with a property mask, only the masked top-level properties change. */
  private static Entity masked(Planned p, VersionedEntity current) {
    if (!p.mutation().hasPropertyMask() || current == null) {
      return p.entity();
    }
    Entity.Builder merged = current.entity().toBuilder().setKey(p.key());
    Map<String, Value> given = p.entity().getPropertiesMap();
    for (String path : p.mutation().getPropertyMask().getPathsList()) {
      String name = PropertyTransforms.path(path).get(0);
      if (given.containsKey(name)) {
        merged.putProperties(name, given.get(name));
      } else {
        merged.removeProperties(name);
      }
    }
    return merged.build();
  }
}
