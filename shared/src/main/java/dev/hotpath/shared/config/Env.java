package dev.hotpath.shared.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Typed reads of declared {@link Setting}s from an environment map (the process environment in
 * production, a plain map in tests). An unset or blank variable takes the setting's default.
 */
public final class Env {
  private final Map<String, String> variables;

  /**
   * Reads from {@code variables} itself, not a copy: each read asks the map for one variable, which
   * is how a test proves what a function reads.
   */
  public Env(Map<String, String> variables) {
    this.variables = Objects.requireNonNull(variables);
  }

  public String string(Setting setting) {
    String value = variables.get(setting.name());
    return value == null || value.isBlank() ? setting.defaultValue() : value.trim();
  }

  /** An integer from {@code min} to {@code max}. */
  public int integer(Setting setting, int min, int max) {
    String value = string(setting);
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(setting.name() + " must be an integer, got '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(
          setting.name() + " must be from " + min + " to " + max + ", got " + parsed);
    }
    return parsed;
  }

  /** A duration given in milliseconds, from {@code minMillis} to {@code maxMillis}. */
  public Duration millis(Setting setting, int minMillis, int maxMillis) {
    return Duration.ofMillis(integer(setting, minMillis, maxMillis));
  }

  /** One of {@code type}'s constants, named in lower case (e.g. {@code grpc} for {@code GRPC}). */
  public <E extends Enum<E>> E choice(Setting setting, Class<E> type) {
    String value = string(setting);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value)) {
        return constant;
      }
    }
    throw new ConfigException(
        setting.name()
            + " must be one of "
            + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList()
            + ", got '"
            + value
            + "'");
  }

  /** A comma-separated list without blanks. */
  public List<String> list(Setting setting) {
    return Arrays.stream(string(setting).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
