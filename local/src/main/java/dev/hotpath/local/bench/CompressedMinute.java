package dev.hotpath.local.bench;

import dev.hotpath.shared.turn.watchdog.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The watchdog's clock with its minute lasting {@code minuteSeconds} real seconds, and the {@link
 * Sleeper} that waits for it: the scheduler's ticks and the spacing of a tick's rounds shrink with
 * it, while probes, SSH and coturn's restart still take real time. With 60 it is the real clock
 * (microsecond grain, as Datastore keeps), aligned so a minute starts now.
 */
final class CompressedMinute extends Clock implements Sleeper {
  private final int minuteSeconds;
  private final Instant start;
  private final long originNanos = System.nanoTime();

  CompressedMinute(int minuteSeconds) {
    this.minuteSeconds = minuteSeconds;
    this.start = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  }

  /** The watchdog's time at which minute {@code k} begins (minute 0 is now). */
  Instant minute(long k) {
    return start.plus(Duration.ofMinutes(k));
  }

  /** How much faster than real time this clock runs (1 for a 60 s minute). */
  double factor() {
    return 60.0 / minuteSeconds;
  }

  /** A span of the watchdog's time as real time. */
  Duration real(Duration watchdogTime) {
    return Duration.ofNanos(watchdogTime.toNanos() * minuteSeconds / 60);
  }

  @Override
  public Instant instant() {
    long elapsed = (System.nanoTime() - originNanos) * 60 / minuteSeconds;
    return start.plusNanos(elapsed).truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public void sleepUntil(Instant when) throws InterruptedException {
    long millis = real(Duration.between(instant(), when)).toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
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
