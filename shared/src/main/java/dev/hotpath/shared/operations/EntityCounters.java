package dev.hotpath.shared.operations;

import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.PathElement;
import java.nio.charset.StandardCharsets;

/**
 * Where an {@code increment} lands. Not on the entity: a popular user's entity would then take one
 * write per operation, and Datastore sustains about one write per second per entity. Each
 * incremented property has a sharded counter of the Write API instead — same shard entities, same
 * shard-count record — named {@code ec.<40 hex digits>} after a hash of the key path and property.
 * An operation's transaction adds its delta to one shard that no other write touched in the last
 * second, next to its other writes and the DONE mark.
 *
 * <p>Read back: the property's value is the integer stored on the entity (0 if the entity or the
 * property is missing) plus the counter, which {@code GET /v1/counters/ec.…} (or {@code
 * CounterService.read}) sums over its shards with one strongly consistent lookup.
 */
public final class EntityCounters {

  /**
   * The name of the counter that holds the increments of {@code property} of the entity {@code
   * key}.
   */
  public static String counterName(Key key, String property) {
    StringBuilder canonical = new StringBuilder();
    for (PathElement e : Keys.path(key)) {
      canonical.append(e.getKind()).append('\u0000');
      canonical.append(e.hasId() ? "#" + e.getId() : "'" + e.getName()).append('\u0000');
    }
    canonical.append(property);
    return "ec."
        + OperationPayload.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8))
            .substring(0, 40);
  }

  private EntityCounters() {}
}
