package dev.hotpath.local;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import org.junit.jupiter.api.Assumptions;

/** The functions' known, documented differences on Google's emulators (docs/datastore-emulator.md). */
final class KnownDifferences {
  /**
   * Counter writes on Google's Firestore emulator end in 503: its pessimistic locking makes the
   * counter's lookup-in-a-new-transaction wait for "Transaction lock timeout" (ABORTED) while
   * other shard writers hold the lock; the deployed database is concurrency_mode OPTIMISTIC. The
   * counter code's behaviour there is being changed in issue 10; until then these cases are
   * reported as skipped with this reason instead of failing.
   */
  static void assumeCountersWork(DatastoreEmulatorExtension datastore) {
    Assumptions.assumeFalse(datastore.backend() == DatastoreBackend.GOOGLE_FIRESTORE,
        "expected difference on google-firestore: counter writes wait for the emulator's pessimistic "
            + "\"Transaction lock timeout\" and end in 503 (issue 10 changes the counter code)");
  }

  /**
   * Google's Datastore emulator stores an entity that the documented storage-size formula puts
   * over the limits page's 1,048,572 bytes (a 1,048,553-character string property: 1,048,556
   * bytes for it alone, plus key, property names and 32) — it counts sizes differently near the
   * limit; our emulator, like production, refuses it. So the test of what a refused oversized
   * append leaves behind cannot run there.
   */
  static void assumeEntitySizeLimit(DatastoreEmulatorExtension datastore) {
    Assumptions.assumeFalse(datastore.backend() == DatastoreBackend.GOOGLE_DATASTORE,
        "expected difference on google-datastore: it accepts entities over the documented 1,048,572 bytes");
  }

  private KnownDifferences() {}
}
