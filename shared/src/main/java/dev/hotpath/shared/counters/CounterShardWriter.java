package dev.hotpath.shared.counters;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.spi.v1.DatastoreRpc;
import com.google.datastore.v1.ArrayValue;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.Mutation;
import com.google.datastore.v1.PartitionId;
import com.google.datastore.v1.ReadOptions;
import com.google.datastore.v1.RollbackRequest;
import com.google.datastore.v1.TransactionOptions;
import com.google.datastore.v1.Value;
import com.google.protobuf.ByteString;
import dev.hotpath.shared.datastore.DatastoreFailures;
import dev.hotpath.shared.datastore.WriteFailure;
import dev.hotpath.shared.groupcommit.BatchWriter;
import dev.hotpath.shared.groupcommit.Flush;
import dev.hotpath.shared.sharding.ShardKeys;
import dev.hotpath.shared.validation.InternalKinds;
import dev.hotpath.shared.validation.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Adds a batch of increments to one shard of one counter, exactly once per flush id: in one
 * transaction it reads the shard, and unless the shard already lists the flush id among its recent
 * flushes, writes the new value together with the id. A retry after an unknown outcome therefore
 * finds its own earlier write instead of adding twice — at the cost of one entity write per flush
 * and no marker entities to clean up (the list keeps the last {@value #RECENT_FLUSHES}).
 *
 * <p>It speaks the proto-level API through the client's own transport (same endpoint, credentials
 * and no-retry settings) and begins the transaction with its own BeginTransaction call: a lookup
 * that begins it ({@code new_transaction}) saves that round trip, but Google's Firestore emulator
 * in Datastore mode then fails every commit with "Transaction lock timeout"
 * (docs/firestore-emulator.md); with pacing a counter takes few flushes per second, so the extra
 * call costs little.
 */
public final class CounterShardWriter implements BatchWriter<Long, Integer> {
  /** Far more flushes than one shard can take (≈1/s) while a retry budget runs. */
  static final int RECENT_FLUSHES = 32;

  static final String VALUE = "value";
  static final String FLUSHES = "flushes";
  private static final String COUNTER = "counter";
  private static final String SHARD = "shard";

  private final DatastoreRpc rpc;
  private final String projectId;
  private final String databaseId;
  private final PartitionId partition;
  private final String counter;

  CounterShardWriter(Datastore datastore, String counter) {
    this.rpc = (DatastoreRpc) datastore.getOptions().getRpc();
    this.projectId = datastore.getOptions().getProjectId();
    this.databaseId = datastore.getOptions().getDatabaseId();
    this.partition =
        PartitionId.newBuilder()
            .setProjectId(projectId)
            .setDatabaseId(databaseId)
            .setNamespaceId(datastore.getOptions().getNamespace())
            .build();
    this.counter = counter;
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
    Key key =
        Key.newBuilder()
            .setPartitionId(partition)
            .addPath(
                Key.PathElement.newBuilder()
                    .setKind(InternalKinds.COUNTER_SHARD)
                    .setName(shardName(counter, flush.shard())))
            .build();
    ByteString transaction = ByteString.EMPTY;
    try {
      transaction =
          rpc.beginTransaction(
                  BeginTransactionRequest.newBuilder()
                      .setProjectId(projectId)
                      .setDatabaseId(databaseId)
                      .setTransactionOptions(
                          TransactionOptions.newBuilder()
                              .setReadWrite(TransactionOptions.ReadWrite.getDefaultInstance()))
                      .build())
              .getTransaction();
      LookupResponse read =
          rpc.lookup(
              LookupRequest.newBuilder()
                  .setProjectId(projectId)
                  .setDatabaseId(databaseId)
                  .setReadOptions(ReadOptions.newBuilder().setTransaction(transaction))
                  .addKeys(key)
                  .build());
      if (read.getDeferredCount() > 0) {
        // Datastore may postpone a key under load; treating it as missing would reset the shard.
        throw new WriteFailure(
            WriteFailure.Kind.NOT_APPLIED, "lookup of the shard was deferred", null);
      }
      Entity shard = read.getFoundCount() == 0 ? null : read.getFound(0).getEntity();
      List<String> recent = recentFlushes(shard);
      if (recent.contains(flush.id())) {
        rollback(transaction); // an earlier attempt of this flush landed
      } else {
        long value =
            shard == null
                ? 0
                : shard.getPropertiesOrDefault(VALUE, Value.getDefaultInstance()).getIntegerValue();
        rpc.commit(
            CommitRequest.newBuilder()
                .setProjectId(projectId)
                .setDatabaseId(databaseId)
                .setMode(CommitRequest.Mode.TRANSACTIONAL)
                .setTransaction(transaction)
                .addMutations(
                    Mutation.newBuilder()
                        .setUpsert(
                            updated(key, flush.shard(), add(value, sum), recent, flush.id())))
                .build());
      }
      return Collections.nCopies(flush.items().size(), flush.shard());
    } catch (DatastoreException e) {
      rollback(transaction);
      throw DatastoreFailures.classify(e);
    } catch (WriteFailure e) {
      rollback(transaction);
      throw e;
    }
  }

  /** Ends a transaction we will not commit; failing to is harmless (it expires). */
  private void rollback(ByteString transaction) {
    if (transaction.isEmpty()) {
      return;
    }
    try {
      rpc.rollback(
          RollbackRequest.newBuilder()
              .setProjectId(projectId)
              .setDatabaseId(databaseId)
              .setTransaction(transaction)
              .build());
    } catch (DatastoreException ignored) {
      // Nothing was committed under it.
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
    return Entity.newBuilder()
        .setKey(key)
        .putProperties(COUNTER, unindexed(Value.newBuilder().setStringValue(counter)))
        .putProperties(SHARD, unindexed(Value.newBuilder().setIntegerValue(index)))
        .putProperties(VALUE, unindexed(Value.newBuilder().setIntegerValue(value)))
        .putProperties(FLUSHES, Value.newBuilder().setArrayValue(flushes).build())
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
