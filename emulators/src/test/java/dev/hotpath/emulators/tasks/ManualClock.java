package dev.hotpath.emulators.tasks;

import dev.hotpath.emulators.tasks.dispatch.DispatchClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock that moves only when the test advances it, waking the emulator's dispatchers each time.
 */
final class ManualClock implements DispatchClock {
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public void onJump(Runnable listener) {
    listeners.add(listener);
  }

  void advance(Duration by) {
    now = now.plus(by);
    listeners.forEach(Runnable::run);
  }
}
