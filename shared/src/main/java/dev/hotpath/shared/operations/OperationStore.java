package dev.hotpath.shared.operations;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.BlobValue;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import com.google.cloud.datastore.KeyQuery;
import com.google.cloud.datastore.LongValue;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.StructuredQuery.CompositeFilter;
import com.google.cloud.datastore.StructuredQuery.OrderBy;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.cloud.datastore.Transaction;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.datastore.Transactions;
import dev.hotpath.shared.validation.InternalKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operation records: one entity of kind {@value #KIND} per operation, keyed by its id, holding
 * its state and its (compressed) mutations. It is created by an insert, which Datastore refuses for
 * a taken id; every later state change is a transaction that reads the record first, so a change
 * repeated after an unknown outcome finds the earlier one, and PENDING → DONE / FAILED happens at
 * most once. Every call here is idempotent and runs under the retry policy of {@link Idempotent}.
 */
public final class OperationStore {
  /** Starts with hotpath's internal prefix, so no operation can name it. */
  public static final String KIND = InternalKinds.PREFIX + "Operation";

  private static final String STATE = "state";
  private static final String ERROR = "error";
  private static final String CREATED_AT = "createdAt";
  private static final String DONE_AT = "doneAt";
  private static final String ATTEMPTS = "attempts";
  private static final String REQUEST_HASH = "requestHash";
  private static final String PAYLOAD = "payload";

  private final Datastore datastore;
  private final KeyFactory keys;
  private final Idempotent idempotent;

  public OperationStore(Datastore datastore, Idempotent idempotent) {
    this.datastore = datastore;
    this.keys = datastore.newKeyFactory().setKind(KIND);
    this.idempotent = idempotent;
  }

  public Key key(String id) {
    return keys.newKey(id);
  }

  /**
   * Records operation {@code id} as PENDING unless a record of that id exists, and returns the
   * record as stored. Repeating it after an unknown outcome finds the first write (the insert is
   * refused with ALREADY_EXISTS and the stored record is read instead).
   */
  public Operation create(String id, OperationPayload payload) {
    return idempotent.run("recording operation " + id, () -> createOnce(key(id), payload));
  }

  private Operation createOnce(Key key, OperationPayload payload) {
    Entity record =
        Entity.newBuilder(key)
            .set(STATE, Operation.State.PENDING.name())
            .set(CREATED_AT, Timestamp.now())
            .set(ATTEMPTS, LongValue.newBuilder(0).setExcludeFromIndexes(true).build())
            .set(
                REQUEST_HASH,
                StringValue.newBuilder(payload.hash()).setExcludeFromIndexes(true).build())
            .set(
                PAYLOAD,
                BlobValue.newBuilder(Blob.copyFrom(payload.gzippedJson()))
                    .setExcludeFromIndexes(true)
                    .build())
            .build();
    try {
      datastore.add(record); // an insert: one commit, refused if the id is taken
      return operation(record);
    } catch (DatastoreException e) {
      if (!"ALREADY_EXISTS".equals(e.getReason())) {
        throw e;
      }
      // An earlier attempt of ours whose answer was lost, or an Idempotency-Key repeat.
      return operation(datastore.get(key));
    }
  }

  /**
   * Ids of up to {@code limit} operations still PENDING that were created before {@code cutoff},
   * oldest first. A keys-only query on (state, createdAt): the composite index "operations-sweep"
   * of terraform/indexes.json.
   */
  public List<String> pendingCreatedBefore(Timestamp cutoff, int limit) {
    KeyQuery query =
        Query.newKeyQueryBuilder()
            .setKind(KIND)
            .setFilter(
                CompositeFilter.and(
                    PropertyFilter.eq(STATE, Operation.State.PENDING.name()),
                    PropertyFilter.lt(CREATED_AT, cutoff)))
            .setOrderBy(OrderBy.asc(CREATED_AT))
            .setLimit(limit)
            .build();
    return idempotent.run(
        "listing old PENDING operations",
        () -> {
          List<String> ids = new ArrayList<>();
          datastore.run(query).forEachRemaining(key -> ids.add(key.getName()));
          return ids;
        });
  }

  /**
   * How many operations are in {@code state}, counting at most {@code limit} (a keys-only query on
   * the built-in index of {@code state}; for a status page, not for the hot path).
   */
  public long countIn(Operation.State state, int limit) {
    KeyQuery query =
        Query.newKeyQueryBuilder()
            .setKind(KIND)
            .setFilter(PropertyFilter.eq(STATE, state.name()))
            .setLimit(limit)
            .build();
    return idempotent.run(
        "counting " + state + " operations",
        () -> {
          long n = 0;
          for (var keys = datastore.run(query); keys.hasNext(); keys.next()) {
            n++;
          }
          return n;
        });
  }

  /** The record of {@code id}, if any (a strongly consistent lookup). */
  public Optional<Operation> get(String id) {
    return record(id).map(OperationStore::operation);
  }

  /** The stored record entity of {@code id}, payload included. */
  Optional<Entity> record(String id) {
    return Optional.ofNullable(
        idempotent.run("reading operation " + id, () -> datastore.get(key(id))));
  }

  static boolean isPending(Entity record) {
    return Operation.State.PENDING.name().equals(record.getString(STATE));
  }

  /**
   * Marks operation {@code id} FAILED with {@code reason} if it is still PENDING, and returns the
   * record as it is afterwards (whoever finished it). Empty if there is no record.
   */
  public Optional<Operation> failIfPending(String id, String reason, long attempts) {
    return Optional.ofNullable(
            idempotent.run("failing operation " + id, () -> failOnce(key(id), reason, attempts)))
        .map(OperationStore::operation);
  }

  private Entity failOnce(Key key, String reason, long attempts) {
    Transaction txn = datastore.newTransaction();
    try {
      Entity record = txn.get(key);
      if (record == null || !isPending(record)) {
        return record;
      }
      Entity failed = finished(record, Operation.State.FAILED, Optional.of(reason), attempts);
      txn.put(failed);
      txn.commit();
      return failed;
    } finally {
      Transactions.rollbackIfActive(txn);
    }
  }

  /** {@code record} finished in {@code state}, to be written in the caller's transaction. */
  static Entity finished(
      Entity record, Operation.State state, Optional<String> error, long attempts) {
    Entity.Builder done =
        Entity.newBuilder(record)
            .set(STATE, state.name())
            .set(DONE_AT, Timestamp.now())
            .set(ATTEMPTS, LongValue.newBuilder(attempts).setExcludeFromIndexes(true).build());
    error.ifPresent(
        e -> done.set(ERROR, StringValue.newBuilder(e).setExcludeFromIndexes(true).build()));
    return done.build();
  }

  static OperationPayload payload(Entity record) {
    return new OperationPayload(
        record.getBlob(PAYLOAD).toByteArray(), record.getString(REQUEST_HASH));
  }

  static Operation operation(Entity record) {
    return new Operation(
        record.getKey().getName(),
        Operation.State.valueOf(record.getString(STATE)),
        record.contains(ERROR) ? Optional.of(record.getString(ERROR)) : Optional.empty(),
        record.getTimestamp(CREATED_AT),
        record.contains(DONE_AT) ? Optional.of(record.getTimestamp(DONE_AT)) : Optional.empty(),
        record.getLong(ATTEMPTS),
        record.getString(REQUEST_HASH));
  }
}
