package dev.hotpath.emulators.datastore.store;

import java.io.IOException;
import java.nio.file.Path;

/** Another emulator (in this process or another) holds the lock of the data directory. */
public final class DataDirInUseException extends IOException {
  private final transient Path dir;

  public DataDirInUseException(Path dir) {
    super("another emulator is using the data directory " + dir);
    this.dir = dir;
  }

  /** The directory in use. */
  public Path dir() {
    return dir;
  }
}
