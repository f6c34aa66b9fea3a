package dev.hotpath.shared.config;

/** An environment variable holds a value its setting cannot take; the message names both. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
