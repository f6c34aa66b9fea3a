package dev.hotpath.shared.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.hotpath.shared.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

  @Test
  void parsesAnObjectKeepingIntegersApartFromDecimals() {
    JsonObject o = StrictJson.parseObject("{\"a\": 1, \"b\": 1.0, \"c\": 1e3, \"d\": [true, null, \"x\"]}");
    assertTrue(StrictJson.isIntegerLiteral(o.getAsJsonPrimitive("a")));
    assertFalse(StrictJson.isIntegerLiteral(o.getAsJsonPrimitive("b")));
    assertFalse(StrictJson.isIntegerLiteral(o.getAsJsonPrimitive("c")));
    assertEquals(3, o.getAsJsonArray("d").size());
  }

  @Test
  void refusesWhatLenientParsersAccept() {
    for (String bad :
        new String[] {
          "", "[]", "42", "{a: 1}", "{'a': 1}", "{\"a\": 1} x", "{\"a\": 1,}", "{\"a\": 1} {}", "{\"a\": NaN}",
          "{\"a\": 1 /* c */}", "{\"a\": 1, \"a\": 2}", "{\"a\": 01}"
        }) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> StrictJson.parseObject(bad), bad);
      assertFalse(e.getMessage().isBlank());
    }
  }

  @Test
  void refusesDeepNesting() {
    String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
    assertThrows(InvalidInputException.class, () -> StrictJson.parseObject(deep));
  }
}
