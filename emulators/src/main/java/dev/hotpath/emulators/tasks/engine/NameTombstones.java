package dev.hotpath.emulators.tasks.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Names of tasks that were deleted, purged, completed or given up within the last hour: creating a
 * task with such a name fails with ALREADY_EXISTS, as production de-duplicates. Entries expire in
 * the order they were added, so pruning is a walk from the oldest.
 */
public final class NameTombstones {
  static final Duration RETENTION = Duration.ofHours(1);

  private record Entry(String name, Instant at) {}

  private final Map<String, Instant> byName = new HashMap<>();
  private final ArrayDeque<Entry> oldestFirst = new ArrayDeque<>();

  synchronized void add(String name, Instant now) {
    prune(now);
    byName.put(name, now);
    oldestFirst.addLast(new Entry(name, now));
  }

  synchronized boolean contains(String name, Instant now) {
    prune(now);
    return byName.containsKey(name);
  }

  synchronized void clear() {
    byName.clear();
    oldestFirst.clear();
  }

  private void prune(Instant now) {
    Instant cutoff = now.minus(RETENTION);
    while (!oldestFirst.isEmpty() && !oldestFirst.peekFirst().at().isAfter(cutoff)) {
      Entry expired = oldestFirst.removeFirst();
      byName.remove(expired.name(), expired.at());
    }
  }
}
