package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.engine.Faults;
import org.junit.jupiter.api.Test;

/** The fault spec format of {@code --faults}. */
class FaultsTest {

  @Test
  void parsesEveryFaultAndTheSeed() {
    Faults f =
        Faults.parse(" unavailable=0.05, deadline-exceeded=0.02,lost-response=0.05,seed=42 ");
    assertEquals(0.05, f.unavailable());
    assertEquals(0.02, f.deadlineExceeded());
    assertEquals(0.05, f.lostResponse());
    assertEquals(42, f.seed());
    assertEquals(f.toString(), Faults.parse(f.toString()).toString());
  }

  @Test
  void noneAndEmptyMeanNoFaults() {
    assertFalse(Faults.parse("none").any());
    assertFalse(Faults.parse("").any());
    assertTrue(Faults.parse("lost-response=0.1").any());
  }

  @Test
  void badSpecsAreRefusedWithTheReason() {
    assertMessage("unknown fault 'explode'", "explode=0.1");
    assertMessage("is not name=value", "unavailable");
    assertMessage("must be a probability", "unavailable=1.5");
    assertMessage("must be a probability", "unavailable=lots");
    assertMessage("add up to at most 1", "unavailable=0.6,lost-response=0.6");
    assertMessage("seed must be an integer", "seed=x");
    assertMessage("names 'seed' twice", "seed=1,seed=2");
  }

  private static void assertMessage(String words, String spec) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Faults.parse(spec));
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }
}
