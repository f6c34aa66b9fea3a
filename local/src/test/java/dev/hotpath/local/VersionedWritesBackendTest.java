package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.datastore.Datastore;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import dev.hotpath.shared.config.DatastoreConfig;
import dev.hotpath.shared.config.Env;
import dev.hotpath.shared.datastore.BaseVersionSupport;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.datastore.ProtoCalls;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which flush path each backend gets (one of the functions' backend suites, so it runs on ours and
 * on each of Google's emulators, over the transport under test): a counter flush is one versioned
 * commit only where a stale base_version conflicts, as datastore.proto says it must. Ours and
 * Google's Datastore emulator honour it; Google's Firestore emulator applies a stale one, so there
 * every flush falls back to a read-write transaction (and the suites' exact sums prove it works).
 */
class VersionedWritesBackendTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(b -> b);

  @Test
  void eachBackendGetsThePathItsPreconditionsAllow() throws Exception {
    boolean expected = datastore.backend() != DatastoreBackend.GOOGLE_FIRESTORE;
    try (Datastore client = client(Map.of())) {
      BaseVersionSupport support =
          new BaseVersionSupport(
              new ProtoCalls(client), DatastoreConfig.VersionedWrites.AUTO, System::nanoTime);
      assertEquals(
          expected, support.honoured(), "base_version honoured on " + datastore.backend().id());
      assertEquals(expected, support.honoured(), "the answer is kept");
    }
  }

  @Test
  void offNeverUsesThePrecondition() throws Exception {
    try (Datastore client = client(Map.of())) {
      BaseVersionSupport support =
          new BaseVersionSupport(
              new ProtoCalls(client), DatastoreConfig.VersionedWrites.OFF, System::nanoTime);
      assertEquals(false, support.honoured());
    }
  }

  /** The functions' own client, over the transport the process environment selects. */
  private static Datastore client(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(WriteApiExtension.env(datastore, settings));
    return DatastoreClients.create(DatastoreConfig.from(new Env(env)));
  }
}
