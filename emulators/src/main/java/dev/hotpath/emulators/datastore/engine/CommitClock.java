package dev.hotpath.emulators.datastore.engine;

import java.time.Instant;

/**
 * Commit times in microseconds, strictly increasing even if the wall clock stalls or steps back;
 * each one is also the commit's version. Used only inside the commit critical section.
 */
final class CommitClock {
  private long last;

  long next() {
    Instant now = Instant.now();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    last = Math.max(micros, last + 1);
    return last;
  }

  /** Ensures the next time is after {@code version} (e.g. the last commit loaded from disk). */
  void advancePast(long version) {
    last = Math.max(last, version);
  }
}
