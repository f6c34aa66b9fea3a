package dev.hotpath.local.stack;

import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import dev.hotpath.emulators.datastore.backend.GoogleEmulator;
import dev.hotpath.shared.config.Settings;
import java.util.List;
import java.util.Map;

/**
 * One of Google's Datastore emulators as the local stack's Datastore ({@code up --datastore-backend
 * google-datastore|google-firestore}); exports {@code DATASTORE_EMULATOR_HOST}.
 */
public final class GoogleDatastorePart implements StackPart {
  private final DatastoreBackend backend;
  private final int port;
  private GoogleEmulator emulator;

  public GoogleDatastorePart(DatastoreBackend backend, int port) {
    this.backend = backend;
    this.port = port;
  }

  @Override
  public void start(Map<String, String> env) throws Exception {
    emulator = GoogleEmulator.start(backend, port, env);
    env.put(Settings.EMULATOR_HOST.name(), emulator.host());
  }

  @Override
  public List<String> banner() {
    return List.of(
        "Datastore: Google's emulator ("
            + backend.id()
            + ") at http://"
            + emulator.host()
            + "  (in memory)",
        "  export " + Settings.EMULATOR_HOST.name() + "=" + emulator.host());
  }

  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
  }
}
