package dev.hotpath.emulators.datastore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.datastore.v1.Key;
import com.google.datastore.v1.PartitionId;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreKeyTest {

  @Test
  void aRootKeyHasNoAncestors() {
    assertEquals(List.of(), StoreKey.ancestorPaths(StoreKey.of(key(element("A", 1))).path()));
  }

  @Test
  void ancestorsAreTheSerializedPrefixesOfThePath() {
    // long names and ids make multi-byte lengths; the last element's kind decides the StoreKey
    List<Key.PathElement> path =
        List.of(
            element("Group", "g".repeat(300)),
            element("Shard", Long.MAX_VALUE),
            element("Mid", "m"),
            element("Task", 5));
    StoreKey key = StoreKey.of(key(path.toArray(Key.PathElement[]::new)));
    List<ByteString> expected = new ArrayList<>();
    for (int size = 1; size < path.size(); size++) {
      expected.add(Key.newBuilder().addAllPath(path.subList(0, size)).build().toByteString());
    }
    assertEquals(expected, StoreKey.ancestorPaths(key.path()));
    assertEquals("Task", key.kind());
  }

  @Test
  void theAncestorIndexFollowsKeysInAndOut() {
    KindEntities tasks = new KindEntities();
    ByteString parent = StoreKey.pathOf(List.of(element("Group", "g")));
    ByteString a = StoreKey.pathOf(List.of(element("Group", "g"), element("Task", 1)));
    ByteString b = StoreKey.pathOf(List.of(element("Group", "g"), element("Task", 2)));
    Version va = new Version(null, 1, null);
    Version vb = new Version(null, 2, null);
    tasks.put(a, va);
    tasks.put(b, vb);
    tasks.put(a, va); // a new version of a known key: indexed once
    assertEquals(2, tasks.under(parent).count());
    tasks.remove(a);
    assertEquals(List.of(vb), tasks.under(parent).toList());
    tasks.remove(b);
    assertEquals(List.of(), tasks.under(parent).toList());
    tasks.remove(b);
    assertEquals(0, tasks.heads().size());
  }

  private static Key key(Key.PathElement... path) {
    return Key.newBuilder()
        .setPartitionId(PartitionId.newBuilder().setProjectId("p"))
        .addAllPath(List.of(path))
        .build();
  }

  private static Key.PathElement element(String kind, String name) {
    return Key.PathElement.newBuilder().setKind(kind).setName(name).build();
  }

  private static Key.PathElement element(String kind, long id) {
    return Key.PathElement.newBuilder().setKind(kind).setId(id).build();
  }
}
