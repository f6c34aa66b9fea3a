package dev.hotpath.emulators.datastore.store;

/** When {@link FileStorage} forces the log to disk. */
public enum FsyncPolicy {
  /**
   * Before a commit is acknowledged; concurrent commits share one flush (group commit), so an
   * acknowledged write survives even a power cut.
   */
  ALWAYS,
  /**
   * Never explicitly: a commit is written to the operating system before it is acknowledged, so it
   * survives the emulator being killed, but not the machine losing power.
   */
  NEVER
}
