package dev.hotpath.shared.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardKeysTest {

  @Test
  void namesAreStableAndScatteredNotSequential() {
    assertEquals(ShardKeys.name("likes", 3), ShardKeys.name("likes", 3));
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      names.add(ShardKeys.name("likes", i));
    }
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(null);
    assertTrue(!sorted.equals(names), "shard names must not sort in index order");
    assertTrue(
        names.stream().map(n -> n.substring(0, 2)).distinct().count() > 20, "hash prefixes spread");
    assertTrue(names.get(7).endsWith(":likes:7"));
  }
}
