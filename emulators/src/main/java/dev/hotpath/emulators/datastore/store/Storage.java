package dev.hotpath.emulators.datastore.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Where commits go to survive a restart. The engine keeps all data in memory ({@link EntityStore});
 * a Storage only records it. Appends happen inside the commit critical section so the stored order
 * is the commit order; waiting for durability happens outside it so concurrent commits can share
 * one disk flush.
 */
public interface Storage extends Closeable {

  /** Replays every stored commit, oldest first. */
  void load(Consumer<CommitRecord> each) throws IOException;

  /** Records {@code record}; answers a ticket for {@link #awaitDurable}. */
  long append(CommitRecord record) throws IOException;

  /** Returns once everything up to {@code ticket} is as durable as this storage promises. */
  void awaitDurable(long ticket) throws IOException;

  /**
   * Replaces everything stored by exactly {@code entities} as of {@code lastCommit} (compaction).
   */
  void rewrite(Iterable<VersionedEntity> entities, long lastCommit) throws IOException;

  /** Forgets everything stored. */
  void clear() throws IOException;

  /** Nothing survives a restart; every call is free. */
  static Storage memory() {
    return new Storage() {
      @Override
      public void load(Consumer<CommitRecord> each) {}

      @Override
      public long append(CommitRecord record) {
        return 0;
      }

      @Override
      public void awaitDurable(long ticket) {}

      @Override
      public void rewrite(Iterable<VersionedEntity> entities, long lastCommit) {}

      @Override
      public void clear() {}

      @Override
      public void close() {}
    };
  }
}
