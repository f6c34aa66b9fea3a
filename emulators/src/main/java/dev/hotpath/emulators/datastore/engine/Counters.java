package dev.hotpath.emulators.datastore.engine;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link EmulatorStats}. */
final class Counters {
  final LongAdder calls = new LongAdder();
  final LongAdder commits = new LongAdder();
  final LongAdder entityWrites = new LongAdder();
  final LongAdder lookups = new LongAdder();
  final LongAdder aborted = new LongAdder();
  final LongAdder injectedFaults = new LongAdder();
  final LongAdder conflicts = new LongAdder();

  EmulatorStats snapshot() {
    return new EmulatorStats(
        calls.sum(),
        commits.sum(),
        entityWrites.sum(),
        lookups.sum(),
        aborted.sum(),
        injectedFaults.sum(),
        conflicts.sum());
  }

  void reset() {
    calls.reset();
    commits.reset();
    entityWrites.reset();
    lookups.reset();
    aborted.reset();
    injectedFaults.reset();
    conflicts.reset();
  }
}
