package dev.hotpath.shared.turn.config;

/** Invalid watchdog configuration; the message starts with the setting or field at fault. */
public final class ConfigException extends Exception {
  public ConfigException(String field, String problem) {
    super(field + ": " + problem);
  }
}
