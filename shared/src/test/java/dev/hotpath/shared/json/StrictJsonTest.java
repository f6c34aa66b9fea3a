package dev.hotpath.shared.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.hotpath.shared.validation.InvalidInputException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

  @Test
  void parsesAnObjectKeepingIntegersApartFromDecimals() {
    JsonObject o =
        StrictJson.parseObject("{\"a\": 1, \"b\": 1.0, \"c\": 1e3, \"d\": [true, null, \"x\"]}");
    assertTrue(StrictJson.isIntegerLiteral(o.getAsJsonPrimitive("a")));
    assertFalse(StrictJson.isIntegerLiteral(o.getAsJsonPrimitive("b")));
    assertFalse(StrictJson.isIntegerLiteral(o.getAsJsonPrimitive("c")));
    assertEquals(3, o.getAsJsonArray("d").size());
  }

  @Test
  void readsAnIntegerOrSaysWhatItGotInstead() {
    JsonObject o = StrictJson.parseObject("{\"a\": -12, \"b\": 1.0, \"c\": \"1\"}");
    assertEquals(new BigDecimal("-12"), StrictJson.integer(o.get("a"), "a"));
    assertEquals(
        "b must be an integer, got 1.0",
        assertThrows(InvalidInputException.class, () -> StrictJson.integer(o.get("b"), "b"))
            .getMessage());
    assertEquals(
        "c must be an integer, got \"1\"",
        assertThrows(InvalidInputException.class, () -> StrictJson.integer(o.get("c"), "c"))
            .getMessage());
    assertEquals(
        "d must be an integer, got null",
        assertThrows(InvalidInputException.class, () -> StrictJson.integer(o.get("d"), "d"))
            .getMessage());
  }

  @Test
  void refusesWhatLenientParsersAccept() {
    for (String bad :
        new String[] {
          "",
          "[]",
          "42",
          "{a: 1}",
          "{'a': 1}",
          "{\"a\": 1} x",
          "{\"a\": 1,}",
          "{\"a\": 1} {}",
          "{\"a\": NaN}",
          "{\"a\": 1 /* c */}",
          "{\"a\": 1, \"a\": 2}",
          "{\"a\": 01}"
        }) {
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> StrictJson.parseObject(bad), bad);
      assertFalse(e.getMessage().isBlank());
      assertOurWords(e.getMessage());
    }
  }

  @Test
  void saysInItsOwnWordsWhatIsWrongAndWhere() {
    assertEquals(
        "malformed JSON: not strict JSON (RFC 8259): names and strings take double quotes, and"
            + " single quotes, comments, bare words and data after the object are refused (line 1,"
            + " column 3)",
        assertThrows(InvalidInputException.class, () -> StrictJson.parseObject("{'a': 1}"))
            .getMessage());
    for (String bad :
        new String[] {
          "{\"a\": ", "{\"a\": \"x", "{\"a\" 1}", "{\"a\": [1,]}", "{\"a\": \"\\q\"}"
        }) {
      String message =
          assertThrows(InvalidInputException.class, () -> StrictJson.parseObject(bad), bad)
              .getMessage();
      assertOurWords(message);
    }
  }

  /** Nothing of Gson's advice to programmers reaches the sender. */
  private static void assertOurWords(String message) {
    for (String library :
        new String[] {"JsonReader", "Strictness", "LENIENT", "http", "See ", "$"}) {
      assertFalse(message.contains(library), message);
    }
    assertTrue(
        message.startsWith("malformed JSON")
            || message.startsWith("JSON nested")
            || message.startsWith("the request body"),
        message);
  }

  @Test
  void refusesDeepNesting() {
    String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
    assertThrows(InvalidInputException.class, () -> StrictJson.parseObject(deep));
  }

  @Test
  void refusesUnpairedSurrogatesInStringsAndNamesButKeepsPairs() {
    for (String bad :
        new String[] {
          "{\"a\": \"x\\ud800y\"}",
          "{\"a\": \"\\udfff\"}",
          "{\"\\ud800\": 1}",
          "{\"a\": [\"\\ud83d\"]}"
        }) {
      InvalidInputException e =
          assertThrows(InvalidInputException.class, () -> StrictJson.parseObject(bad), bad);
      assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
      assertEquals(
          -1, Unicode.firstUnpairedSurrogate(e.getMessage()), "the message itself is well-formed");
    }
    assertEquals(
        "\ud83d\ude00",
        StrictJson.parseObject("{\"a\": \"\\ud83d\\ude00\"}").get("a").getAsString());
  }

  @Test
  void escapesOnlyUnpairedSurrogates() {
    assertEquals(
        "a\\ud800b\ud83d\ude00\\udc00",
        Unicode.escapeUnpairedSurrogates("a\ud800b\ud83d\ude00\udc00"));
    assertEquals(1, Unicode.firstUnpairedSurrogate("a\udc00"));
    assertEquals(-1, Unicode.firstUnpairedSurrogate("\ud83d\ude00"));
  }
}
