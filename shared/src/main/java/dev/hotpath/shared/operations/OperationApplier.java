package dev.hotpath.shared.operations;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Transaction;
import com.google.cloud.datastore.ValueType;
import dev.hotpath.shared.counters.CounterShardWriter;
import dev.hotpath.shared.datastore.DatastoreFailures;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.datastore.ShardCountStore;
import dev.hotpath.shared.datastore.Transactions;
import dev.hotpath.shared.metrics.Event;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.retry.RetryPolicy;
import dev.hotpath.shared.sharding.ShardPlanner;
import dev.hotpath.shared.sharding.ShardingOptions;
import dev.hotpath.shared.validation.InternalKinds;
import dev.hotpath.shared.validation.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Applies a deferred operation exactly once: one Datastore transaction reads the operation record
 * and every entity the mutations touch, checks each mutation's precondition, and commits all the
 * writes together with the record's PENDING → DONE. A redelivered task, or a retry after a commit
 * whose answer was lost, reads DONE and writes nothing.
 *
 * <p>Increments do not write the incremented entity (see {@link EntityCounters}): they add to one
 * shard of the property's counter, leased so that no other write of this instance touched it in the
 * last write interval, so operations on one hot entity are not capped at one per second.
 *
 * <p>Contention (ABORTED) and transient errors are retried in-process under the worker's retry
 * policy; when its budget is spent the caller gets {@link
 * dev.hotpath.shared.validation.UnavailableException} (→ 503, the queue retries later). A permanent
 * failure — insert of an existing entity, update of a missing one, increment of a non-integer, a
 * write Datastore refuses — marks the operation FAILED with the reason and changes nothing else.
 */
public final class OperationApplier {
  private static final Logger LOG = Logger.getLogger(OperationApplier.class.getName());

  /** How a delivery ended. */
  public enum Result {
    APPLIED,
    FAILED,
    /** The record was DONE or FAILED already: a redelivery; nothing was touched. */
    ALREADY_FINISHED,
    /** No record of that id: nothing to do. */
    UNKNOWN
  }

  public record Outcome(Result result, Optional<Operation> operation) {}

  /** A mutation whose precondition does not hold: the operation fails as a whole. */
  private static final class PreconditionFailed extends RuntimeException {
    PreconditionFailed(String message) {
      super(message);
    }
  }

  private final Datastore datastore;
  private final OperationStore store;
  private final MutationParser parser;
  private final ShardLeases leases;
  private final Idempotent idempotent;
  private final long budgetNanos;

  /**
   * Lands increments on counters sharded by {@code sharding}; retries a delivery's transactions
   * within {@code retry}.
   */
  public OperationApplier(
      Datastore datastore, ShardingOptions sharding, RetryPolicy retry, MutationParser parser) {
    this.datastore = datastore;
    this.idempotent = new Idempotent(retry, sharding.minWriteInterval());
    this.store = new OperationStore(datastore, idempotent);
    this.parser = parser;
    this.leases =
        new ShardLeases(
            new ShardCountStore(datastore, InternalKinds.COUNTER, idempotent), sharding);
    this.budgetNanos = retry.budget().toNanos();
  }

  /**
   * Applies operation {@code id}.
   *
   * @param earlierDeliveries deliveries of its task before this one (X-CloudTasks-TaskRetryCount),
   *     added to the attempts the record reports
   */
  public Outcome apply(String id, long earlierDeliveries) {
    Outcome outcome = applyOnce(id, earlierDeliveries);
    switch (outcome.result()) {
      case APPLIED -> Metrics.global().count(Event.OPERATIONS_DONE);
      case FAILED -> {
        Metrics.global().count(Event.OPERATIONS_FAILED);
        // One ERROR record per FAILED operation: Terraform counts these (operations_failed) and
        // alerts on any; the reason is the operation's own error text, which holds no secret.
        LOG.severe(
            "operation "
                + id
                + " FAILED: "
                + outcome.operation().flatMap(Operation::error).orElse("(no reason recorded)"));
      }
      default -> {}
    }
    return outcome;
  }

  private Outcome applyOnce(String id, long earlierDeliveries) {
    Optional<Entity> record = store.record(id);
    if (record.isEmpty()) {
      return new Outcome(Result.UNKNOWN, Optional.empty());
    }
    if (!OperationStore.isPending(record.get())) {
      return new Outcome(
          Result.ALREADY_FINISHED, Optional.of(OperationStore.operation(record.get())));
    }
    AtomicLong attempts = new AtomicLong(earlierDeliveries);
    List<Mutation> mutations;
    try {
      mutations = parser.parse(OperationStore.payload(record.get()).mutations());
    } catch (InvalidInputException e) {
      // Accepted under another configuration (e.g. a kind since taken off the allow-list).
      return fail(id, "the operation is no longer valid: " + e.getMessage(), attempts.get() + 1);
    }
    long deadline = System.nanoTime() + budgetNanos;
    try {
      return idempotent.run(
          "applying operation " + id,
          () -> attemptOnce(store.key(id), mutations, attempts.incrementAndGet(), deadline));
    } catch (PreconditionFailed e) {
      return fail(id, e.getMessage(), attempts.get());
    } catch (DatastoreException e) {
      // Only permanent errors get here (Idempotent retries the rest): Datastore refused the writes.
      return fail(id, "Datastore refused the writes: " + e.getMessage(), attempts.get());
    }
  }

  private Outcome fail(String id, String reason, long attempts) {
    Optional<Operation> after = store.failIfPending(id, reason, attempts);
    boolean ours = after.isPresent() && after.get().error().equals(Optional.of(reason));
    return new Outcome(ours ? Result.FAILED : Result.ALREADY_FINISHED, after);
  }

  private Outcome attemptOnce(
      Key recordKey, List<Mutation> mutations, long attempt, long deadline) {
    Map<Mutation, ShardLeases.Lease> leased = new LinkedHashMap<>();
    ShardPlanner.Outcome shardOutcome = ShardPlanner.Outcome.FAILED;
    try {
      for (Mutation m : mutations) {
        if (m.type() == Mutation.Type.INCREMENT) {
          leased.put(m, leases.lease(EntityCounters.counterName(m.key(), m.property()), deadline));
        }
      }
      Map<Mutation, Integer> shards = new HashMap<>();
      leased.forEach((m, lease) -> shards.put(m, lease.shard()));
      Outcome outcome = transaction(recordKey, mutations, shards, attempt);
      if (outcome.result() == Result.APPLIED) {
        shardOutcome = ShardPlanner.Outcome.WRITTEN;
      }
      return outcome;
    } catch (DatastoreException e) {
      if (DatastoreFailures.isContention(e)) {
        shardOutcome = ShardPlanner.Outcome.CONTENDED;
      }
      throw e;
    } finally {
      ShardPlanner.Outcome released = shardOutcome;
      leased.values().forEach(lease -> leases.release(lease, released));
    }
  }

  private Outcome transaction(
      Key recordKey, List<Mutation> mutations, Map<Mutation, Integer> shards, long attempt) {
    Map<Mutation, Key> shardKeys = new HashMap<>();
    shards.forEach(
        (m, shard) ->
            shardKeys.put(
                m,
                datastore
                    .newKeyFactory()
                    .setKind(InternalKinds.COUNTER_SHARD)
                    .newKey(
                        CounterShardWriter.shardName(
                            EntityCounters.counterName(m.key(), m.property()), shard))));
    List<Key> reads = new ArrayList<>();
    reads.add(recordKey);
    mutations.forEach(m -> reads.add(m.key()));
    reads.addAll(shardKeys.values());
    Transaction txn = datastore.newTransaction();
    try {
      Map<Key, Entity> found = new HashMap<>();
      Iterator<Entity> it = txn.get(reads.toArray(new Key[0]));
      it.forEachRemaining(e -> found.put(e.getKey(), e));
      Entity record = found.get(recordKey);
      if (record == null) {
        return new Outcome(Result.UNKNOWN, Optional.empty());
      }
      if (!OperationStore.isPending(record)) {
        return new Outcome(Result.ALREADY_FINISHED, Optional.of(OperationStore.operation(record)));
      }
      for (Mutation m : mutations) {
        Entity current = found.get(m.key());
        switch (m.type()) {
          case INSERT -> {
            if (current != null) {
              throw new PreconditionFailed(m.describe() + ": the entity already exists");
            }
            txn.put(m.entity());
          }
          case UPDATE -> {
            if (current == null) {
              throw new PreconditionFailed(m.describe() + ": no such entity");
            }
            txn.put(m.entity());
          }
          case UPSERT -> txn.put(m.entity());
          case DELETE -> txn.delete(m.key());
          case INCREMENT ->
              txn.put(incremented(m, current, shards.get(m), shardKeys.get(m), found));
        }
      }
      Entity done =
          OperationStore.finished(record, Operation.State.DONE, Optional.empty(), attempt);
      txn.put(done);
      txn.commit();
      return new Outcome(Result.APPLIED, Optional.of(OperationStore.operation(done)));
    } finally {
      Transactions.rollbackIfActive(txn);
    }
  }

  private static Entity incremented(
      Mutation m, Entity current, int shard, Key shardKey, Map<Key, Entity> found) {
    if (current != null
        && current.contains(m.property())
        && current.getValue(m.property()).getType() != ValueType.LONG) {
      throw new PreconditionFailed(
          m.describe()
              + ": the property holds a "
              + current.getValue(m.property()).getType()
              + ", not an integer");
    }
    try {
      return CounterShardWriter.plus(
          shardKey,
          EntityCounters.counterName(m.key(), m.property()),
          shard,
          found.get(shardKey),
          m.by());
    } catch (ArithmeticException e) {
      throw new PreconditionFailed(m.describe() + ": the counter would leave the 64-bit range");
    }
  }
}
