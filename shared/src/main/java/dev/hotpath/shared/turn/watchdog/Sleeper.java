package dev.hotpath.shared.turn.watchdog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits until an instant of the watchdog's clock. Production sleeps; a test hands in a fake that
 * moves its clock on instead, so a minute of rounds runs in no time.
 */
@FunctionalInterface
public interface Sleeper {
  void sleepUntil(Instant when) throws InterruptedException;

  /** Sleeps the thread until {@code clock} shows {@code when}; at once when that has passed. */
  static Sleeper of(Clock clock) {
    return when -> {
      long millis = Duration.between(clock.instant(), when).toMillis();
      if (millis > 0) {
        Thread.sleep(millis);
      }
    };
  }
}
