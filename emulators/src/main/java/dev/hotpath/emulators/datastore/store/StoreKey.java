package dev.hotpath.emulators.datastore.store;

import com.google.datastore.v1.Key;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one entity lives: its partition, the kind of its last path element, and its whole path
 * serialized. The serialized path is the hash key because hashing bytes is far cheaper than hashing
 * a protobuf message reflectively, and two keys built by the engine from the same path serialize
 * identically.
 */
public record StoreKey(PartitionKey partition, String kind, ByteString path) {
  /** The one-byte tag of {@code Key.path} (field 2, length-delimited) that starts each element. */
  private static final int PATH_TAG = 0x12;

  /** The storage address of {@code key}, which must be complete and carry its full partition. */
  public static StoreKey of(Key key) {
    return new StoreKey(
        new PartitionKey(
            key.getPartitionId().getProjectId(),
            key.getPartitionId().getDatabaseId(),
            key.getPartitionId().getNamespaceId()),
        key.getPath(key.getPathCount() - 1).getKind(),
        pathOf(key.getPathList()));
  }

  /** {@code path} serialized as a {@link StoreKey#path}. */
  static ByteString pathOf(List<Key.PathElement> path) {
    return Key.newBuilder().addAllPath(path).build().toByteString();
  }

  /**
   * The serialized paths of the proper ancestors of the serialized {@code path}, root first; empty
   * for a root key. A serialized path is its elements' records one after another, so each proper
   * prefix of records is exactly what {@link #pathOf} gives for that prefix of elements: the
   * ancestors are cut out at record boundaries without parsing the elements.
   */
  static List<ByteString> ancestorPaths(ByteString path) {
    int end = elementEnd(path, 0);
    if (end == path.size()) {
      return List.of();
    }
    List<ByteString> ancestors = new ArrayList<>();
    while (end < path.size()) {
      ancestors.add(path.substring(0, end));
      end = elementEnd(path, end);
    }
    return ancestors;
  }

  /** Where the element record starting at {@code start} ends: tag, varint length, element. */
  private static int elementEnd(ByteString path, int start) {
    if (path.byteAt(start) != PATH_TAG) {
      throw new IllegalArgumentException("not a serialized key path: " + path);
    }
    int at = start + 1;
    int length = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = path.byteAt(at++);
      length |= (b & 0x7f) << shift;
      if (b >= 0) {
        return at + length;
      }
    }
  }
}
