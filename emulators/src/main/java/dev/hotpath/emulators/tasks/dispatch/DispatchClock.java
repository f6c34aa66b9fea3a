package dev.hotpath.emulators.tasks.dispatch;

import java.time.Instant;

/**
 * The time the emulator schedules by: schedule times, backoff, rate limits, name de-duplication and
 * token lifetimes. The system clock in normal use; tests inject a clock they advance by hand so a
 * 5-minute backoff takes no real time.
 */
public interface DispatchClock {

  Instant now();

  /**
   * Registers a callback the clock runs whenever its time jumps, so dispatchers waiting for a
   * moment re-check at once. The system clock never jumps and ignores it.
   */
  default void onJump(Runnable listener) {}

  static DispatchClock system() {
    return Instant::now;
  }
}
