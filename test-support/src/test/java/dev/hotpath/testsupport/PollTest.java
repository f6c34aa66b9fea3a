package dev.hotpath.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

  @Test
  void aConditionThatAlreadyHoldsIsCheckedOnce() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    assertTrue(Poll.within(Duration.ofSeconds(10), () -> checks.incrementAndGet() > 0));
    assertEquals(1, checks.get());
  }

  @Test
  void itKeepsCheckingUntilTheConditionHolds() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    Poll.until("the third check", Duration.ofSeconds(10), () -> checks.incrementAndGet() == 3);
    assertEquals(3, checks.get());
  }

  @Test
  void aConditionThatNeverHoldsIsFalseOnceTheTimeoutIsUp() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    assertFalse(Poll.within(Duration.ofMillis(50), () -> checks.incrementAndGet() < 0));
    assertTrue(checks.get() >= 2, "checked at the start and at the deadline, got " + checks.get());
  }

  @Test
  void untilNamesWhatItWaitedFor() {
    AssertionError e =
        assertThrows(
            AssertionError.class, () -> Poll.until("pigs fly", Duration.ofMillis(10), () -> false));
    assertEquals("timed out after PT0.01S waiting until pigs fly", e.getMessage());
  }

  @Test
  void aFailingCheckEndsTheWaitWithItsException() {
    IOException refused = new IOException("connection refused");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                Poll.within(
                    Duration.ofSeconds(10),
                    () -> {
                      throw refused;
                    }));
    assertEquals(refused, thrown);
  }
}
