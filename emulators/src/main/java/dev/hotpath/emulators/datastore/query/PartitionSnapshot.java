package dev.hotpath.emulators.datastore.query;

/**
 * A consistent, unchanging view of the entities of one partition (project, database id,
 * namespace) at one moment: what a query or aggregation reads. Iteration order is unspecified;
 * the query engine orders results itself.
 */
public interface PartitionSnapshot {

  /** Every entity of {@code kind} in this partition. */
  Iterable<StoredEntity> ofKind(String kind);

  /** Every entity of every kind in this partition (for kindless queries). */
  Iterable<StoredEntity> all();
}
