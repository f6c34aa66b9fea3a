package dev.hotpath.shared.json;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import dev.hotpath.shared.validation.InvalidInputException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnownFieldsTest {

  @Test
  void acceptsAnObjectOfAllowedFieldsOrFewer() {
    JsonObject o = StrictJson.parseObject("{\"key\": 1}");
    assertDoesNotThrow(
        () -> KnownFields.check(o, Set.of("key", "by"), "at", InvalidInputException::new));
  }

  @Test
  void refusesTheFirstUnknownFieldWithTheCallersPrefixAndExceptionListingTheAllowedSorted() {
    JsonObject o = StrictJson.parseObject("{\"key\": 1, \"bye\": 2}");
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () ->
                KnownFields.check(
                    o,
                    Set.of("property", "key", "by"),
                    "mutations[3].increment",
                    InvalidInputException::new));
    assertEquals(
        "mutations[3].increment: unknown field 'bye'; allowed: [by, key, property]",
        e.getMessage());
  }
}
