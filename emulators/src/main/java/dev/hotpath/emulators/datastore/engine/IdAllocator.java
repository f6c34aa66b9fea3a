package dev.hotpath.emulators.datastore.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out scattered ids like production does (random, never sequential, so new entities do not
 * pile onto one key range) and never hands out the same id twice, nor one reserved or already in
 * use. Uniqueness is across all kinds and partitions, which is stricter than Datastore needs.
 */
final class IdAllocator {
  /** Production's scattered ids stay below 2^53 so they survive a trip through a JSON double. */
  private static final long BOUND = 1L << 53;

  private final Set<Long> taken = ConcurrentHashMap.newKeySet();

  long next() {
    while (true) {
      long id = ThreadLocalRandom.current().nextLong(1, BOUND);
      if (taken.add(id)) {
        return id;
      }
    }
  }

  /** Marks {@code id} as used (reserveIds, or an entity written with that id). */
  void reserve(long id) {
    taken.add(id);
  }

  void clear() {
    taken.clear();
  }
}
