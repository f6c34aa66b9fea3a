package dev.hotpath.emulators.datastore.store;

import com.google.datastore.v1.Key;
import com.google.protobuf.ByteString;

/**
 * Where one entity lives: its partition, the kind of its last path element, and its whole path
 * serialized. The serialized path is the hash key because hashing bytes is far cheaper than
 * hashing a protobuf message reflectively, and two keys built by the engine from the same path
 * serialize identically.
 */
public record StoreKey(PartitionKey partition, String kind, ByteString path) {

  /** The storage address of {@code key}, which must be complete and carry its full partition. */
  public static StoreKey of(Key key) {
    Key pathOnly = Key.newBuilder().addAllPath(key.getPathList()).build();
    return new StoreKey(
        new PartitionKey(
            key.getPartitionId().getProjectId(),
            key.getPartitionId().getDatabaseId(),
            key.getPartitionId().getNamespaceId()),
        key.getPath(key.getPathCount() - 1).getKind(),
        pathOnly.toByteString());
  }
}
