package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.Key;
import com.google.datastore.v1.PartitionId;
import com.google.datastore.v1.Value;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.util.Comparator;

/**
 * The total order Firestore in Datastore mode uses for indexed values, mixed types included: null
 * &lt; integers &lt; timestamps &lt; booleans &lt; blobs &lt; strings &lt; doubles &lt; NaN &lt;
 * geo points &lt; keys. Integers and doubles are separate types (7 &lt; 3.2), as the Datastore mode
 * documentation states. Strings and blobs compare by unsigned (UTF-8) bytes.
 */
final class ValueOrder {
  static final Comparator<Value> VALUES = ValueOrder::compare;

  private static final Comparator<ByteString> BYTES =
      ByteString.unsignedLexicographicalComparator();

  private ValueOrder() {}

  static int compare(Value a, Value b) {
    int byRank = Integer.compare(typeRank(a), typeRank(b));
    if (byRank != 0) {
      return byRank;
    }
    switch (a.getValueTypeCase()) {
      case INTEGER_VALUE:
        return Long.compare(a.getIntegerValue(), b.getIntegerValue());
      case TIMESTAMP_VALUE:
        return compareTimestamps(a.getTimestampValue(), b.getTimestampValue());
      case BOOLEAN_VALUE:
        return Boolean.compare(a.getBooleanValue(), b.getBooleanValue());
      case BLOB_VALUE:
        return BYTES.compare(a.getBlobValue(), b.getBlobValue());
      case STRING_VALUE:
        return BYTES.compare(a.getStringValueBytes(), b.getStringValueBytes());
      case DOUBLE_VALUE:
        return compareDoubles(a.getDoubleValue(), b.getDoubleValue());
      case GEO_POINT_VALUE:
        int byLatitude =
            compareDoubles(a.getGeoPointValue().getLatitude(), b.getGeoPointValue().getLatitude());
        return byLatitude != 0
            ? byLatitude
            : compareDoubles(
                a.getGeoPointValue().getLongitude(), b.getGeoPointValue().getLongitude());
      case KEY_VALUE:
        return compareKeys(a.getKeyValue(), b.getKeyValue());
      case NULL_VALUE:
        return 0;
      default:
        // Embedded entities and arrays are never indexed as such; a stable order keeps sorting
        // total should one reach a comparison anyway.
        return BYTES.compare(a.toByteString(), b.toByteString());
    }
  }

  static boolean equal(Value a, Value b) {
    return compare(a, b) == 0;
  }

  /**
   * Keys order by partition, then path element by element (kind, then numeric ids before names), an
   * ancestor before its descendants.
   */
  static int compareKeys(Key a, Key b) {
    int byPartition = comparePartitions(a.getPartitionId(), b.getPartitionId());
    if (byPartition != 0) {
      return byPartition;
    }
    int common = Math.min(a.getPathCount(), b.getPathCount());
    for (int i = 0; i < common; i++) {
      Key.PathElement x = a.getPath(i);
      Key.PathElement y = b.getPath(i);
      int byKind = BYTES.compare(x.getKindBytes(), y.getKindBytes());
      if (byKind != 0) {
        return byKind;
      }
      int byIdType = Integer.compare(idTypeRank(x), idTypeRank(y));
      if (byIdType != 0) {
        return byIdType;
      }
      int byId =
          x.getIdTypeCase() == Key.PathElement.IdTypeCase.NAME
              ? BYTES.compare(x.getNameBytes(), y.getNameBytes())
              : Long.compare(x.getId(), y.getId());
      if (byId != 0) {
        return byId;
      }
    }
    return Integer.compare(a.getPathCount(), b.getPathCount());
  }

  private static int typeRank(Value v) {
    switch (v.getValueTypeCase()) {
      case NULL_VALUE:
        return 0;
      case INTEGER_VALUE:
        return 1;
      case TIMESTAMP_VALUE:
        return 2;
      case BOOLEAN_VALUE:
        return 3;
      case BLOB_VALUE:
        return 4;
      case STRING_VALUE:
        return 5;
      case DOUBLE_VALUE:
        return Double.isNaN(v.getDoubleValue()) ? 7 : 6;
      case GEO_POINT_VALUE:
        return 8;
      case KEY_VALUE:
        return 9;
      case ENTITY_VALUE:
        return 10;
      case ARRAY_VALUE:
        return 11;
      default:
        return 12;
    }
  }

  private static int idTypeRank(Key.PathElement element) {
    switch (element.getIdTypeCase()) {
      case ID:
        return 1;
      case NAME:
        return 2;
      default:
        return 0;
    }
  }

  private static int comparePartitions(PartitionId a, PartitionId b) {
    int byProject = BYTES.compare(a.getProjectIdBytes(), b.getProjectIdBytes());
    if (byProject != 0) {
      return byProject;
    }
    int byDatabase = BYTES.compare(a.getDatabaseIdBytes(), b.getDatabaseIdBytes());
    return byDatabase != 0
        ? byDatabase
        : BYTES.compare(a.getNamespaceIdBytes(), b.getNamespaceIdBytes());
  }

  private static int compareTimestamps(Timestamp a, Timestamp b) {
    int bySeconds = Long.compare(a.getSeconds(), b.getSeconds());
    return bySeconds != 0 ? bySeconds : Integer.compare(a.getNanos(), b.getNanos());
  }

  /** Numeric comparison where 0.0 equals -0.0 and NaN equals NaN (NaN is ranked apart). */
  private static int compareDoubles(double a, double b) {
    if (a < b) {
      return -1;
    }
    if (a > b) {
      return 1;
    }
    return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
  }
}
