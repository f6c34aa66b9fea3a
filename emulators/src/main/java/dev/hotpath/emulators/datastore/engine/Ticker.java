package dev.hotpath.emulators.datastore.engine;

/**
 * The engine's monotonic time, for write budgets refilling and transactions expiring: the system's
 * {@code nanoTime} unless a test injects one it can move on instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {
  Ticker SYSTEM = System::nanoTime;

  /** Nanoseconds from an arbitrary origin; only differences mean anything. */
  long nanos();
}
