package dev.hotpath.emulators.datastore.backend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which Datastore the functions run on locally: ours, or one of Google's emulators as
 * google-cloud-cli installs them. Google's are the second opinion: our emulator is written by the
 * same team as the functions, so a shared misunderstanding would pass unnoticed on ours alone.
 */
public enum DatastoreBackend {
  /** Our emulator, in-process (dev.hotpath.emulators.datastore.DatastoreEmulator). */
  HOTPATH("hotpath", null, null),
  /**
   * Google's Datastore emulator in {@code --firestore_in_datastore_mode}: the database type the
   * Terraform deploys.
   */
  GOOGLE_DATASTORE(
      "google-datastore",
      "HOTPATH_GOOGLE_DATASTORE_EMULATOR",
      "/usr/lib/google-cloud-sdk/platform/cloud-datastore-emulator/cloud_datastore_emulator"),
  /** Google's Firestore emulator in {@code --database-mode=datastore-mode}. */
  GOOGLE_FIRESTORE(
      "google-firestore",
      "HOTPATH_GOOGLE_FIRESTORE_EMULATOR",
      "/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud_firestore_emulator");

  /** The system property naming the backend the backend-aware test suites run on. */
  public static final String TEST_PROPERTY = "hotpath.datastore.backend";

  private final String id;
  private final String variable;
  private final String standardPath;

  DatastoreBackend(String id, String variable, String standardPath) {
    this.id = id;
    this.variable = variable;
    this.standardPath = standardPath;
  }

  /** The name flags and reports use, e.g. {@code google-datastore}. */
  public String id() {
    return id;
  }

  public boolean isGoogle() {
    return this != HOTPATH;
  }

  /** The variable that overrides the standard path of a Google emulator's launcher. */
  public String variable() {
    return variable;
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static DatastoreBackend parse(String id) {
    for (DatastoreBackend backend : values()) {
      if (backend.id.equals(id.toLowerCase(Locale.ROOT))) {
        return backend;
      }
    }
    throw new IllegalArgumentException(
        "datastore backend must be hotpath, google-datastore or google-firestore, got '"
            + id
            + "'");
  }

  /**
   * The launcher of this Google emulator: {@link #variable()} when set (it must then exist), else
   * the standard google-cloud-cli path if installed; empty when not installed.
   *
   * @throws IllegalArgumentException when the variable names a file that is not executable
   */
  public Optional<Path> launcher(Map<String, String> env) {
    if (!isGoogle()) {
      return Optional.empty();
    }
    String configured = env.get(variable);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        throw new IllegalArgumentException(
            variable + "=" + configured + " is not an executable file");
      }
      return Optional.of(path);
    }
    Path standard = Path.of(standardPath);
    return Files.isExecutable(standard) ? Optional.of(standard) : Optional.empty();
  }

  /** Where this emulator is looked for, for "not installed" messages. */
  public String whereLooked() {
    return standardPath
        + " (or set "
        + variable
        + "; install with `apt-get install google-cloud-cli-"
        + (this == GOOGLE_DATASTORE ? "datastore" : "firestore")
        + "-emulator`)";
  }

  /** The documented start command of this Google emulator on loopback {@code port}, in memory. */
  List<String> command(Path launcher, int port) {
    return switch (this) {
      case GOOGLE_DATASTORE ->
          List.of(
              launcher.toString(),
              "start",
              "--host=localhost",
              "--port=" + port,
              "--store_on_disk=false",
              "--consistency=1.0",
              "--firestore_in_datastore_mode");
      case GOOGLE_FIRESTORE ->
          List.of(
              launcher.toString(),
              "start",
              "--host=localhost",
              "--port=" + port,
              "--database-mode=datastore-mode");
      case HOTPATH -> throw new IllegalStateException("ours runs in-process");
    };
  }
}
