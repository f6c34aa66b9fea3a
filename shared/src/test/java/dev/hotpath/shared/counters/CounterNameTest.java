package dev.hotpath.shared.counters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hotpath.shared.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

class CounterNameTest {

  @Test
  void keepsAValidNameAndPrintsAsIt() {
    CounterName name = new CounterName("likes.post-42");
    assertEquals("likes.post-42", name.value());
    assertEquals("counter 'likes.post-42'", "counter '" + name + "'");
  }

  @Test
  void refusesABadNameAsACounterName() {
    assertEquals(
        "counter name 'a/b' may only contain the characters A-Z a-z 0-9 . _ -",
        assertThrows(InvalidInputException.class, () -> new CounterName("a/b")).getMessage());
  }
}
