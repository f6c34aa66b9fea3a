package dev.hotpath.shared.config;

/**
 * One environment variable the code reads: its name, the value used when it is unset (empty means
 * "none"), what it controls, and whether only local runs set it (e.g. the emulator's address), so
 * deployments leave it out. Every setting is declared in {@link Settings#ALL}.
 */
public record Setting(String name, String defaultValue, String description, boolean localOnly) {

  /** A setting deployments may set. */
  public Setting(String name, String defaultValue, String description) {
    this(name, defaultValue, description, false);
  }
}
