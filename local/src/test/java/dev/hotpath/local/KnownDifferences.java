package dev.hotpath.local;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import org.junit.jupiter.api.Assumptions;

/**
 * The functions' known, documented differences on Google's emulators (docs/datastore-emulator.md).
 */
final class KnownDifferences {
  /**
   * Google's Datastore emulator stores an entity that the documented storage-size formula puts over
   * the limits page's 1,048,572 bytes (a 1,048,553-character string property: 1,048,556 bytes for
   * it alone, plus key, property names and 32) — it counts sizes differently near the limit; our
   * emulator, like production, refuses it. So the test of what a refused oversized append leaves
   * behind cannot run there.
   */
  static void assumeEntitySizeLimit(DatastoreEmulatorExtension datastore) {
    Assumptions.assumeFalse(
        datastore.backend() == DatastoreBackend.GOOGLE_DATASTORE,
        "expected difference on google-datastore: it accepts entities over the documented 1,048,572 bytes");
  }

  /**
   * Google's Datastore emulator refuses IN filters ("Filter has N properties, expected 1",
   * INVALID_ARGUMENT), which query.proto documents (PropertyFilter.Operator.IN) and production
   * serves; a group listing reads up to 30 shards per query with {@code hotpath:shard IN […]}
   * (docs/scale-out.md), so listings cannot run there. Appends are checked before this.
   */
  static void assumeInQueries(DatastoreEmulatorExtension datastore) {
    Assumptions.assumeFalse(
        datastore.backend() == DatastoreBackend.GOOGLE_DATASTORE,
        "expected difference on google-datastore: it refuses IN filters, which group listings use");
  }

  private KnownDifferences() {}
}
