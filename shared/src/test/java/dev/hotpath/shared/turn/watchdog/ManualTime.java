package dev.hotpath.shared.turn.watchdog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until moved, and the {@link Sleeper} that moves it: a tick's rounds a
 * minute apart run at once, at exactly their scheduled instants.
 */
final class ManualTime extends Clock implements Sleeper {
  private final AtomicReference<Instant> now;

  ManualTime(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Moves the clock on, as the work between two sleeps would. */
  void pass(Duration by) {
    now.updateAndGet(t -> t.plus(by));
  }

  @Override
  public void sleepUntil(Instant when) {
    now.accumulateAndGet(when, (t, w) -> w.isAfter(t) ? w : t);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the watchdog keeps UTC");
  }
}
