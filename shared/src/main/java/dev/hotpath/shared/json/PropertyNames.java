package dev.hotpath.shared.json;

import dev.hotpath.shared.validation.InvalidInputException;
import dev.hotpath.shared.validation.Names;
import java.nio.charset.StandardCharsets;

/**
 * The names an API property may take: not empty, at most 1500 bytes, not of Datastore's reserved
 * form {@code __…__}, not starting with {@code $} (the explicit forms of {@link JsonValues}) or
 * with {@value #INTERNAL_PREFIX} (hotpath's own bookkeeping).
 */
public final class PropertyNames {
  /** Property names hotpath keeps for itself start with this. */
  public static final String INTERNAL_PREFIX = "hotpath:";

  private static final int MAX_NAME_BYTES = 1500;

  /** Refuses a property name that is empty, too long or reserved, naming it as {@code where}. */
  public static void check(String name, String where) {
    if (name.isEmpty()) {
      throw new InvalidInputException("property names must not be empty (in " + where + ")");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new InvalidInputException(
          "property name " + where + " is longer than " + MAX_NAME_BYTES + " bytes");
    }
    if (Names.isReserved(name) || name.startsWith("$") || name.startsWith(INTERNAL_PREFIX)) {
      throw new InvalidInputException(
          "property name '"
              + where
              + "' is reserved (__…__, $… and "
              + INTERNAL_PREFIX
              + "… are not allowed)");
    }
  }

  /** True for hotpath's own properties, which the API never shows. */
  static boolean isInternal(String name) {
    return name.startsWith(INTERNAL_PREFIX);
  }

  private PropertyNames() {}
}
