package dev.hotpath.emulators.datastore.query;

import static dev.hotpath.emulators.EmulatorException.invalidArgument;

import com.google.datastore.v1.ArrayValue;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Cursor bytes for one query. A cursor records the position of a result row (its sort values, key
 * last among them, then any projected values), not an offset, so paging stays correct when entities
 * are added or removed between pages: a page resumes after the recorded position wherever it now
 * falls. The query's shape (kind, filter, orders, distinct-on) is fingerprinted into the cursor, so
 * a cursor cannot silently continue a different query; limit, offset, projection and the cursors
 * themselves may change, as production allows.
 *
 * <p>Layout: magic "hq", version 1, 8-byte shape fingerprint, serialized {@code ArrayValue}.
 */
final class QueryCursor {
  private static final byte[] MAGIC = {'h', 'q'};
  private static final byte VERSION = 1;
  private static final int HEADER = MAGIC.length + 1 + Long.BYTES;

  private final long fingerprint;
  private final int orderCount;

  QueryCursor(Query query, int orderCount) {
    this.fingerprint = fingerprintOf(query);
    this.orderCount = orderCount;
  }

  ByteString encode(List<Value> position) {
    byte[] body = ArrayValue.newBuilder().addAllValues(position).build().toByteArray();
    ByteBuffer buffer = ByteBuffer.allocate(HEADER + body.length);
    buffer.put(MAGIC).put(VERSION).putLong(fingerprint).put(body);
    return ByteString.copyFrom(buffer.array());
  }

  /** The position in {@code cursor}, or null for an empty cursor (no cursor given). */
  List<Value> decode(ByteString cursor, String field) {
    if (cursor.isEmpty()) {
      return null;
    }
    ByteBuffer buffer = cursor.asReadOnlyByteBuffer();
    if (cursor.size() < HEADER
        || buffer.get() != MAGIC[0]
        || buffer.get() != MAGIC[1]
        || buffer.get() != VERSION) {
      throw invalidArgument(field + " is not a valid query cursor");
    }
    if (buffer.getLong() != fingerprint) {
      throw invalidArgument(
          field + " belongs to a different query (kind, filter, order or distinct_on differ)");
    }
    List<Value> position;
    try {
      position = ArrayValue.parseFrom(buffer).getValuesList();
    } catch (InvalidProtocolBufferException e) {
      throw invalidArgument(field + " is not a valid query cursor");
    }
    if (position.size() < orderCount) {
      throw invalidArgument(field + " is not a valid query cursor");
    }
    return position;
  }

  private static long fingerprintOf(Query query) {
    byte[] shape =
        Query.newBuilder()
            .addAllKind(query.getKindList())
            .setFilter(query.getFilter())
            .addAllOrder(query.getOrderList())
            .addAllDistinctOn(query.getDistinctOnList())
            .build()
            .toByteArray();
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(shape)).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
  }
}
