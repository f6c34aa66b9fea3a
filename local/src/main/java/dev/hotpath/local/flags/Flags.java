package dev.hotpath.local.flags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of one command: {@code --name value}, {@code --name=value}, bare {@code
 * --switch}, repeatable flags, and positional words. A command declares which flags it knows and
 * which of them are switches, so a typo is an error instead of a silently ignored option.
 */
public final class Flags {
  private final Map<String, List<String>> values;
  private final List<String> positional;

  private Flags(Map<String, List<String>> values, List<String> positional) {
    this.values = values;
    this.positional = positional;
  }

  /**
   * Parses {@code args}.
   *
   * @param valued flags that take a value (without the leading {@code --})
   * @param switches flags that take none
   */
  public static Flags parse(String[] args, Set<String> valued, Set<String> switches)
      throws UsageException {
    Map<String, List<String>> values = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.equals("--")) {
        positional.add(arg);
        continue;
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (switches.contains(name)) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value");
        }
        values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new UsageException("--" + name + " needs a value");
          }
          value = args[++i];
        }
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        throw new UsageException("unknown flag --" + name);
      }
    }
    return new Flags(values, List.copyOf(positional));
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The last value given for {@code name}, or {@code fallback}. */
  public String string(String name, String fallback) {
    List<String> given = values.get(name);
    return given == null ? fallback : given.get(given.size() - 1);
  }

  /** Every value given for a repeatable flag, in order. */
  public List<String> all(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  public int integer(String name, int fallback) throws UsageException {
    String value = string(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be an integer, got '" + value + "'");
    }
  }

  /** An integer of at least 1 (a count, a duration). */
  public int positive(String name, int fallback) throws UsageException {
    int value = integer(name, fallback);
    if (value < 1) {
      throw new UsageException("--" + name + " must be at least 1, got " + value);
    }
    return value;
  }

  /** A TCP port: 0 (pick a free one) to 65535. */
  public int port(String name, int fallback) throws UsageException {
    int port = integer(name, fallback);
    if (port < 0 || port > 65535) {
      throw new UsageException("--" + name + " must be a port from 0 to 65535, got " + port);
    }
    return port;
  }

  public double decimal(String name, double fallback) throws UsageException {
    String value = string(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number, got '" + value + "'");
    }
  }

  public List<String> positional() {
    return positional;
  }
}
