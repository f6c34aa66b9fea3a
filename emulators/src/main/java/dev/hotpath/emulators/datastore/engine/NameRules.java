package dev.hotpath.emulators.datastore.engine;

import java.nio.charset.StandardCharsets;

/** Datastore's rules for kinds, key names, namespaces and property names. */
final class NameRules {
  static final int MAX_BYTES = 1500;

  /** Names of the form {@code __x__} belong to Datastore itself. */
  static boolean reserved(String name) {
    return name.length() >= 4 && name.startsWith("__") && name.endsWith("__");
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Throws INVALID_ARGUMENT unless {@code name} is a usable {@code what} (kind, key name, ...). */
  static void check(String what, String name) {
    if (name.isEmpty()) {
      throw Errors.invalid(what + " must not be empty");
    }
    if (reserved(name)) {
      throw Errors.invalid(
          what + " \"" + name + "\" is reserved (names like __x__ belong to Datastore)");
    }
    if (utf8Length(name) > MAX_BYTES) {
      throw Errors.invalid(what + " is longer than " + MAX_BYTES + " bytes");
    }
  }

  private NameRules() {}
}
