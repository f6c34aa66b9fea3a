package dev.hotpath.shared.turn.watchdog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's production clock (UTC, microsecond grain, as Datastore stores) plus however far a
 * test has moved it on: a test skips a cooldown with {@link #advance} instead of sleeping through
 * it, while real processes (coturn, sshd) and stored times still see time pass normally.
 */
final class AdvanceableClock extends Clock {
  private final Clock base = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time only moves forward, not by " + by);
    }
    offset.accumulateAndGet(by, Duration::plus);
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset.get());
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
