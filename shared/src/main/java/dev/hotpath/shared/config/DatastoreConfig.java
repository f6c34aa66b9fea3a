package dev.hotpath.shared.config;

import java.time.Duration;
import java.util.List;

/**
 * Where and how to reach Datastore: project, database, optional emulator, call timeout. Shared by
 * every function that talks to Datastore.
 */
public record DatastoreConfig(
    String projectId, String databaseId, String emulatorHost, Duration timeout) {
  /** Every setting {@link #from} reads. */
  public static final List<Setting> SETTINGS =
      List.of(
          Settings.PROJECT,
          Settings.DATABASE,
          Settings.EMULATOR_HOST,
          Settings.DATASTORE_TIMEOUT_MS);

  public static DatastoreConfig from(Env env) {
    return new DatastoreConfig(
        env.string(Settings.PROJECT),
        env.string(Settings.DATABASE),
        env.string(Settings.EMULATOR_HOST),
        env.millis(Settings.DATASTORE_TIMEOUT_MS, 100, 600_000));
  }
}
