package dev.hotpath.shared.groupcommit;

/** Where owners' shard counts are stored (Datastore, through {@code ShardCountStore}). */
@FunctionalInterface
public interface ShardCounts {

  /**
   * Stores {@code max(stored, atLeast)} for {@code owner} and returns it. Blocking: callers run it
   * on worker threads, never inside a map computation or a lock other requests wait on.
   */
  int raise(String owner, int atLeast);
}
