package dev.hotpath.shared.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void acceptsUrlSafeNames() {
    assertEquals("likes.post-42_a", Names.check("counter name", "likes.post-42_a"));
    assertEquals("x".repeat(128), Names.check("counter name", "x".repeat(128)));
  }

  @Test
  void refusesEachBadShapeNamingIt() {
    assertMessage("", "must not be empty");
    assertMessage("x".repeat(129), "limit is 128");
    assertMessage("a b", "may only contain");
    assertMessage("a%20b", "may only contain");
    assertMessage("ü", "may only contain");
    assertMessage("..", "only of dots");
    assertMessage("__stats__", "reserved");
  }

  private static void assertMessage(String name, String expected) {
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> Names.check("group name", name));
    assertTrue(e.getMessage().startsWith("group name"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
