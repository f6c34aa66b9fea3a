package dev.hotpath.shared.config;

import java.time.Duration;
import java.util.List;

/**
 * Where and how to reach Datastore: project, database, optional emulator, call timeout, transport,
 * and whether counter flushes may commit blind under a version precondition. Shared by every
 * function that talks to Datastore.
 */
public record DatastoreConfig(
    String projectId,
    String databaseId,
    String emulatorHost,
    Duration timeout,
    Transport transport,
    VersionedWrites versionedWrites) {
  /** Every setting {@link #from} reads. */
  public static final List<Setting> SETTINGS =
      List.of(
          Settings.PROJECT,
          Settings.DATABASE,
          Settings.EMULATOR_HOST,
          Settings.DATASTORE_TIMEOUT_MS,
          Settings.DATASTORE_TRANSPORT,
          Settings.VERSIONED_WRITES);

  /** How the client reaches Datastore. */
  public enum Transport {
    /** google-cloud-datastore's opt-in gRPC transport: one HTTP/2 channel, calls multiplexed. */
    GRPC,
    /** The client's default: protobuf over HTTP/1.1, a pooled connection per call in flight. */
    HTTP
  }

  /** Whether a counter flush may be one commit under a {@code base_version} precondition. */
  public enum VersionedWrites {
    /** Where the backend honours the precondition (checked once per client); else a transaction. */
    AUTO,
    /** Always a read-write transaction: begin, lookup, commit. */
    OFF
  }

  /** The defaults, against {@code emulatorHost} (empty: the real Datastore). */
  public static DatastoreConfig of(String projectId, String emulatorHost, Duration timeout) {
    return new DatastoreConfig(
        projectId, "", emulatorHost, timeout, Transport.HTTP, VersionedWrites.AUTO);
  }

  public static DatastoreConfig from(Env env) {
    return new DatastoreConfig(
        env.string(Settings.PROJECT),
        env.string(Settings.DATABASE),
        env.string(Settings.EMULATOR_HOST),
        env.millis(Settings.DATASTORE_TIMEOUT_MS, 100, 600_000),
        env.choice(Settings.DATASTORE_TRANSPORT, Transport.class),
        env.choice(Settings.VERSIONED_WRITES, VersionedWrites.class));
  }
}
