package dev.hotpath.emulators.datastore.store;

import com.google.datastore.v1.Key;
import java.util.List;

/**
 * A consistent, unchanging view of the entities of one partition (project, database id, namespace)
 * at one moment: what a query or aggregation reads. Iteration order is unspecified; the query
 * engine orders results itself.
 */
public interface PartitionSnapshot {

  /** Every entity of {@code kind} in this partition. */
  Iterable<VersionedEntity> ofKind(String kind);

  /**
   * The entities of {@code kind} whose key path starts with {@code ancestorPath}: the ancestor
   * itself (when it is of that kind) and its descendants, as an ancestor index range would yield
   * them, so an ancestor query reads what it can match rather than the whole kind. The query engine
   * still applies its full filter (ancestor included) to every candidate, so an implementation may
   * return more, never fewer.
   */
  Iterable<VersionedEntity> ofKindUnder(String kind, List<Key.PathElement> ancestorPath);

  /** Every entity of every kind in this partition (for kindless queries). */
  Iterable<VersionedEntity> all();
}
