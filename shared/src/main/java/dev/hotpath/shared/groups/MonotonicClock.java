package dev.hotpath.shared.groups;

import com.google.cloud.Timestamp;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wall-clock time in microseconds (Datastore's timestamp precision) that never repeats or goes back
 * within this instance, so entities appended here order exactly by creation time.
 */
final class MonotonicClock {
  private final AtomicLong last = new AtomicLong();

  Timestamp next() {
    Instant instant = Instant.now();
    long now = instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    return Timestamp.ofTimeMicroseconds(last.updateAndGet(prev -> Math.max(prev + 1, now)));
  }
}
