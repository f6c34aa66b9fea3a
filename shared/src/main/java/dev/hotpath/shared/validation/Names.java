package dev.hotpath.shared.validation;

import java.util.regex.Pattern;

/**
 * The rule for names that appear in URLs: counter names, group names and kinds. 1 to 128 characters
 * from {@code A-Z a-z 0-9 . _ -} (URL-safe without encoding), not made only of dots, and not of
 * Datastore's reserved form {@code __…__}.
 */
public final class Names {
  public static final int MAX_LENGTH = 128;
  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]+");

  /** Returns {@code name} if valid, else throws naming {@code what} and the problem. */
  public static String check(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidInputException(what + " must not be empty");
    }
    if (name.length() > MAX_LENGTH) {
      throw new InvalidInputException(
          what + " is " + name.length() + " characters long; the limit is " + MAX_LENGTH);
    }
    if (!ALLOWED.matcher(name).matches()) {
      throw new InvalidInputException(
          what + " '" + name + "' may only contain the characters A-Z a-z 0-9 . _ -");
    }
    if (name.chars().allMatch(c -> c == '.')) {
      throw new InvalidInputException(what + " must not consist only of dots");
    }
    if (isReserved(name)) {
      throw new InvalidInputException(
          what + " '" + name + "' is reserved (names of the form __…__)");
    }
    return name;
  }

  /**
   * Datastore reserves names (of kinds, keys and properties) that start and end with {@code __}.
   */
  public static boolean isReserved(String name) {
    return name.length() >= 4 && name.startsWith("__") && name.endsWith("__");
  }

  private Names() {}
}
