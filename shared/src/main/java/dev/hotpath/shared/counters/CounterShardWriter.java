package dev.hotpath.shared.counters;

import com.google.cloud.datastore.DatastoreException;
import com.google.datastore.v1.ArrayValue;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.EntityResult;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.Mutation;
import com.google.datastore.v1.MutationResult;
import com.google.datastore.v1.ReadOptions;
import com.google.datastore.v1.Value;
import com.google.protobuf.ByteString;
import dev.hotpath.shared.datastore.BaseVersionSupport;
import dev.hotpath.shared.datastore.DatastoreFailures;
import dev.hotpath.shared.datastore.ProtoCalls;
import dev.hotpath.shared.datastore.WriteFailure;
import dev.hotpath.shared.groupcommit.BatchWriter;
import dev.hotpath.shared.groupcommit.Flush;
import dev.hotpath.shared.sharding.ShardKeys;
import dev.hotpath.shared.validation.InternalKinds;
import dev.hotpath.shared.validation.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adds a batch of increments to one shard of one counter, exactly once per flush id: the shard
 * keeps its recent flush ids beside its value, and a write adds the batch's sum together with the
 * id. A retry after an unknown outcome therefore finds its own earlier write instead of adding
 * twice — at the cost of one entity write per flush and no marker entities to clean up (the list
 * keeps the last {@value #RECENT_FLUSHES}).
 *
 * <p>Two ways to write, both exact (docs/scale-out.md, "One round trip per flush"):
 *
 * <ul>
 *   <li><b>Versioned, one call.</b> When this instance wrote the shard last and remembers what it
 *       wrote (value, flush ids, the version Datastore gave the write), it commits the new value
 *       blind with that version as {@code base_version}. If anyone wrote the shard since — another
 *       instance, or an attempt of ours whose answer was lost — the version no longer matches, the
 *       mutation conflicts and nothing changes: the flush is certainly not applied, and the shard
 *       is someone else's ({@link WriteFailure.Kind#CONTENDED}).
 *   <li><b>Lookup, then versioned, two calls.</b> When the shard is new to this instance or the
 *       last attempt's outcome is unknown: a Lookup (is the flush id already there? does another
 *       instance hold the shard — {@link ShardHoldings}?), then the versioned commit under the
 *       version read (or, for a shard never written, an insert). It learns the version for the next
 *       flush.
 *   <li><b>Transaction, three calls.</b> Where the backend ignores stale versions ({@link
 *       BaseVersionSupport}): BeginTransaction, Lookup, Commit.
 * </ul>
 *
 * <p>It speaks the proto-level API ({@link ProtoCalls}) and begins the transaction with its own
 * BeginTransaction call: a lookup that begins it ({@code new_transaction}) saves that round trip,
 * but Google's Firestore emulator in Datastore mode then fails every commit with "Transaction lock
 * timeout" (docs/firestore-emulator.md).
 */
public final class CounterShardWriter implements BatchWriter<Long, Integer> {
  /** Far more flushes than one shard can take (≈1/s) while a retry budget runs. */
  static final int RECENT_FLUSHES = 32;

  static final String VALUE = "value";
  static final String FLUSHES = "flushes";
  private static final String COUNTER = "counter";
  private static final String SHARD = "shard";

  private final ProtoCalls calls;
  private final String counter;
  private final BaseVersionSupport versions;
  private final ShardHoldings holdings;

  /**
   * What this instance last wrote to each shard. An entry is taken out while a flush writes the
   * shard (the planner leases a shard to one flush at a time) and put back only after a write that
   * certainly landed, so a stale or uncertain entry is never used.
   */
  private final Map<Integer, KnownShard> known = new ConcurrentHashMap<>();

  /** Shards this instance found held by another and skipped, until it next writes them. */
  private final Set<Integer> skipped = ConcurrentHashMap.newKeySet();

  /** A shard as this instance last wrote it, at {@code version}. */
  private record KnownShard(long version, long value, List<String> recentFlushes) {}

  CounterShardWriter(
      ProtoCalls calls, String counter, BaseVersionSupport versions, ShardHoldings holdings) {
    this.calls = calls;
    this.counter = counter;
    this.versions = versions;
    this.holdings = holdings;
  }

  /** The key name of shard {@code shard} of {@code counter}. */
  public static String shardName(String counter, int shard) {
    return ShardKeys.name(counter, shard);
  }

  @Override
  public List<Integer> write(Flush<Long> flush) throws WriteFailure {
    long sum = 0;
    for (long delta : flush.items()) {
      sum += delta; // each delta is within Deltas.MAX, so a batch's sum cannot overflow
    }
    Key key = calls.key(InternalKinds.COUNTER_SHARD, shardName(counter, flush.shard()));
    KnownShard last = known.remove(flush.shard());
    if (!versions.honoured()) {
      writeInTransaction(key, flush, sum);
    } else if (last != null && !flush.afterUnknownOutcome()) {
      writeVersioned(key, flush, sum, last);
    } else {
      writeAfterLookup(key, flush, sum);
    }
    return Collections.nCopies(flush.items().size(), flush.shard());
  }

  /**
   * Lookup, then (unless the flush already landed, or the shard is another instance's) one
   * versioned commit under the version read: two calls, and no transaction whose read lock would
   * stall the shard's holder. The version makes the pair as exact as a transaction: if anything
   * wrote the shard in between — including an earlier attempt of this flush that was still in
   * flight — the commit conflicts, changes nothing, and the retry (same id, same shard, since
   * {@code GroupCommitter} keeps a flush whose outcome was unknown on its shard) reads again. A
   * shard never written is inserted instead ({@link #writeFirst}).
   */
  private void writeAfterLookup(Key key, Flush<Long> flush, long sum) throws WriteFailure {
    LookupResponse read;
    try {
      read = calls.lookup(LookupRequest.newBuilder().addKeys(key));
    } catch (DatastoreException e) {
      throw DatastoreFailures.classify(e);
    }
    if (read.getDeferredCount() > 0) {
      throw new WriteFailure(
          WriteFailure.Kind.NOT_APPLIED, "lookup of the shard was deferred", null);
    }
    if (read.getFoundCount() == 0) {
      writeFirst(key, flush, sum);
      return;
    }
    EntityResult found = read.getFound(0);
    Entity shard = found.getEntity();
    List<String> recent = recentFlushes(shard);
    if (recent.contains(flush.id())) {
      remember(flush.shard(), found.getVersion(), shard); // an earlier attempt landed
      return;
    }
    yieldIfHeldElsewhere(flush, shard);
    writeVersioned(
        key,
        flush,
        sum,
        new KnownShard(
            found.getVersion(),
            shard.getPropertiesOrDefault(VALUE, Value.getDefaultInstance()).getIntegerValue(),
            recent));
  }

  /** One commit under {@code last.version()}: applied whole, or not at all on a conflict. */
  private void writeVersioned(Key key, Flush<Long> flush, long sum, KnownShard last)
      throws WriteFailure {
    long value = add(last.value(), sum);
    Entity updated = updated(key, flush.shard(), value, last.recentFlushes(), flush.id());
    MutationResult result =
        commitAlone(Mutation.newBuilder().setUpsert(updated).setBaseVersion(last.version()));
    if (result.getConflictDetected()) {
      throw new WriteFailure(
          WriteFailure.Kind.CONTENDED,
          "shard " + flush.shard() + " of '" + counter + "' was written by another instance",
          null);
    }
    remember(flush.shard(), result.getVersion(), updated);
  }

  /**
   * A shard the Lookup found missing: one commit that inserts it. An insert fails (ALREADY_EXISTS,
   * not applied) if anyone created the shard since the read, including an earlier attempt of this
   * flush still in flight, so it is as exact as the versioned write; the retry reads again.
   */
  private void writeFirst(Key key, Flush<Long> flush, long sum) throws WriteFailure {
    Entity created = updated(key, flush.shard(), add(0, sum), List.of(), flush.id());
    MutationResult result = commitAlone(Mutation.newBuilder().setInsert(created));
    remember(flush.shard(), result.getVersion(), created);
  }

  /** {@code mutation} in a non-transactional commit of its own: one call. */
  private MutationResult commitAlone(Mutation.Builder mutation) throws WriteFailure {
    try {
      return calls
          .commit(
              CommitRequest.newBuilder()
                  .setMode(CommitRequest.Mode.NON_TRANSACTIONAL)
                  .addMutations(mutation))
          .getMutationResults(0);
    } catch (DatastoreException e) {
      throw DatastoreFailures.classify(e);
    }
  }

  /** BeginTransaction, Lookup, and Commit unless the flush id shows the flush already landed. */
  private void writeInTransaction(Key key, Flush<Long> flush, long sum) throws WriteFailure {
    ByteString transaction = ByteString.EMPTY;
    try {
      transaction = calls.beginReadWrite();
      LookupResponse read =
          calls.lookup(
              LookupRequest.newBuilder()
                  .setReadOptions(ReadOptions.newBuilder().setTransaction(transaction))
                  .addKeys(key));
      if (read.getDeferredCount() > 0) {
        // Datastore may postpone a key under load; treating it as missing would reset the shard.
        throw new WriteFailure(
            WriteFailure.Kind.NOT_APPLIED, "lookup of the shard was deferred", null);
      }
      EntityResult found = read.getFoundCount() == 0 ? null : read.getFound(0);
      Entity shard = found == null ? null : found.getEntity();
      List<String> recent = recentFlushes(shard);
      if (recent.contains(flush.id())) {
        calls.rollbackQuietly(transaction); // an earlier attempt of this flush landed
        remember(flush.shard(), found.getVersion(), shard);
        return;
      }
      if (shard != null) {
        yieldIfHeldElsewhere(flush, shard);
      }
      long value =
          shard == null
              ? 0
              : shard.getPropertiesOrDefault(VALUE, Value.getDefaultInstance()).getIntegerValue();
      Entity updated = updated(key, flush.shard(), add(value, sum), recent, flush.id());
      CommitResponse committed =
          calls.commit(
              CommitRequest.newBuilder()
                  .setMode(CommitRequest.Mode.TRANSACTIONAL)
                  .setTransaction(transaction)
                  .addMutations(Mutation.newBuilder().setUpsert(updated)));
      remember(flush.shard(), committed.getMutationResults(0).getVersion(), updated);
    } catch (DatastoreException e) {
      calls.rollbackQuietly(transaction);
      throw DatastoreFailures.classify(e);
    } catch (WriteFailure e) {
      calls.rollbackQuietly(transaction);
      throw e;
    }
  }

  /**
   * Gives up a shard another instance wrote moments ago ({@link ShardHoldings}), once: the planner
   * then avoids it and comes back to it only when no other shard is writable, and this time takes
   * it (skipping it for ever could starve the write). Never after an unknown outcome: that flush
   * must stay on its shard.
   */
  private void yieldIfHeldElsewhere(Flush<Long> flush, Entity shard) throws WriteFailure {
    if (!flush.afterUnknownOutcome()
        && holdings.heldByAnother(shard)
        && skipped.add(flush.shard())) {
      throw new WriteFailure(
          WriteFailure.Kind.HELD_ELSEWHERE,
          "shard " + flush.shard() + " of '" + counter + "' is held by another instance",
          null);
    }
  }

  /** Keeps {@code shard} as written at {@code version}, for the next flush's versioned write. */
  private void remember(int shard, long version, Entity written) {
    skipped.remove(shard);
    if (version > 0) {
      known.put(
          shard,
          new KnownShard(
              version,
              written.getPropertiesOrDefault(VALUE, Value.getDefaultInstance()).getIntegerValue(),
              recentFlushes(written)));
    }
  }

  private long add(long value, long sum) throws WriteFailure {
    try {
      return Math.addExact(value, sum);
    } catch (ArithmeticException e) {
      throw new WriteFailure(
          WriteFailure.Kind.PERMANENT,
          "overflow",
          new InvalidInputException("counter '" + counter + "' would leave the 64-bit range"));
    }
  }

  private static List<String> recentFlushes(Entity shard) {
    List<String> ids = new ArrayList<>();
    if (shard != null) {
      for (Value v :
          shard
              .getPropertiesOrDefault(FLUSHES, Value.getDefaultInstance())
              .getArrayValue()
              .getValuesList()) {
        ids.add(v.getStringValue());
      }
    }
    return ids;
  }

  private Entity updated(Key key, int index, long value, List<String> recent, String flushId) {
    ArrayValue.Builder flushes = ArrayValue.newBuilder();
    recent
        .subList(Math.max(0, recent.size() - (RECENT_FLUSHES - 1)), recent.size())
        .forEach(id -> flushes.addValues(unindexed(Value.newBuilder().setStringValue(id))));
    flushes.addValues(unindexed(Value.newBuilder().setStringValue(flushId)));
    return holdings
        .stamp(
            Entity.newBuilder()
                .setKey(key)
                .putProperties(COUNTER, unindexed(Value.newBuilder().setStringValue(counter)))
                .putProperties(SHARD, unindexed(Value.newBuilder().setIntegerValue(index)))
                .putProperties(VALUE, unindexed(Value.newBuilder().setIntegerValue(value)))
                .putProperties(FLUSHES, Value.newBuilder().setArrayValue(flushes).build()))
        .build();
  }

  /**
   * Shard {@code current} (null: never written) with {@code delta} added, in the high-level
   * client's types and the layout of {@link #updated} (recent flush ids kept), for a caller that
   * writes it in its own transaction and guarantees exactly-once by its own means — deferred
   * operations do, through their operation record in the same commit.
   *
   * @throws ArithmeticException if the value would leave the 64-bit range
   */
  public static com.google.cloud.datastore.Entity plus(
      com.google.cloud.datastore.Key key,
      String counter,
      int shard,
      com.google.cloud.datastore.Entity current,
      long delta) {
    long value = Math.addExact(current == null ? 0 : current.getLong(VALUE), delta);
    com.google.cloud.datastore.Entity.Builder updated =
        current != null
            ? com.google.cloud.datastore.Entity.newBuilder(current)
            : com.google.cloud.datastore.Entity.newBuilder(key)
                .set(
                    COUNTER,
                    com.google.cloud.datastore.StringValue.newBuilder(counter)
                        .setExcludeFromIndexes(true)
                        .build())
                .set(
                    SHARD,
                    com.google.cloud.datastore.LongValue.newBuilder(shard)
                        .setExcludeFromIndexes(true)
                        .build());
    return updated
        .set(
            VALUE,
            com.google.cloud.datastore.LongValue.newBuilder(value)
                .setExcludeFromIndexes(true)
                .build())
        .build();
  }

  private static Value unindexed(Value.Builder value) {
    return value.setExcludeFromIndexes(true).build();
  }
}
