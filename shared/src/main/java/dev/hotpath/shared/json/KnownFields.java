package dev.hotpath.shared.json;

import com.google.gson.JsonObject;
import java.util.Set;
import java.util.function.Function;

/**
 * The rule for JSON objects with a fixed set of fields (request bodies, mutations, {@code
 * TURN_TARGETS}): any other member is refused, so a misspelt field is reported instead of silently
 * ignored. One message for every caller: {@code <where>: unknown field 'x'; allowed: [a, b]}.
 */
public final class KnownFields {

  /**
   * Throws {@code refusal} of the message for the first member of {@code object} not in {@code
   * allowed}; {@code where} (a JSON path, or "the body") prefixes the message.
   */
  public static void check(
      JsonObject object,
      Set<String> allowed,
      String where,
      Function<String, ? extends RuntimeException> refusal) {
    for (String name : object.keySet()) {
      if (!allowed.contains(name)) {
        throw refusal.apply(
            where
                + ": unknown field '"
                + name
                + "'; allowed: "
                + allowed.stream().sorted().toList());
      }
    }
  }

  private KnownFields() {}
}
