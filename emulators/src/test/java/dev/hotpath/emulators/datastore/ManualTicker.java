package dev.hotpath.emulators.datastore;

import dev.hotpath.emulators.datastore.engine.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Engine time that stands still until a test moves it on, so no test sleeps for a budget or a
 * timeout.
 */
final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();

  void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time only moves forward, not by " + by);
    }
    nanos.addAndGet(by.toNanos());
  }

  @Override
  public long nanos() {
    return nanos.get();
  }
}
