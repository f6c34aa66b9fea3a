package dev.hotpath.emulators.datastore.store;

/**
 * One isolated partition of data: a project, a database id ("" is the default database) and a
 * namespace ("" is the default namespace). Nothing crosses partitions: not lookups, not queries,
 * not ids.
 */
public record PartitionKey(String project, String database, String namespace) {}
