package dev.hotpath.shared.metrics;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of one {@link Family} this instance wrote, bounded: once {@link #MAX_NAMES} are held a
 * new name is recorded under {@link #OTHER}, and names without a write for {@link #IDLE_MILLIS} are
 * dropped, so an instance that sees a counter per user keeps a bounded map.
 */
public final class NameTable {
  /** The name figures beyond the bound are recorded under (and the summary's long tail). */
  public static final String OTHER = "other";

  static final int MAX_NAMES = 1000;
  static final long IDLE_MILLIS = 10 * 60_000L;

  private final Map<String, NameStats> byName = new ConcurrentHashMap<>();

  /** The live figures of {@code name}; a lookup without allocation once the name is known. */
  public NameStats of(String name) {
    NameStats known = byName.get(name);
    if (known != null) {
      return known;
    }
    String key = byName.size() >= MAX_NAMES ? OTHER : name;
    return byName.computeIfAbsent(key, NameStats::new);
  }

  /** Every name's figures, most recently written first. */
  List<NameFigures> figures() {
    return byName.values().stream()
        .map(NameStats::figures)
        .sorted(
            Comparator.comparing(
                    NameFigures::lastWrite,
                    Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
                .thenComparing(NameFigures::name))
        .toList();
  }

  /** Drops names whose latest write (or creation without one) is older than the idle bound. */
  void prune(long nowMillis) {
    byName
        .values()
        .removeIf(s -> s.lastWriteMillis != 0 && nowMillis - s.lastWriteMillis > IDLE_MILLIS);
  }
}
