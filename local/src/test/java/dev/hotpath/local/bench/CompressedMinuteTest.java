package dev.hotpath.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The arithmetic `bench turn --on-schedule` scales its compressed minutes back with. */
class CompressedMinuteTest {

  @Test
  void aSixSecondMinuteRunsTenTimesFasterThanRealTime() {
    CompressedMinute time = new CompressedMinute(6);
    assertEquals(10.0, time.factor());
    assertEquals(Duration.ofSeconds(6), time.real(Duration.ofMinutes(1)));
    assertEquals(Duration.ofMillis(1500), time.real(Duration.ofSeconds(15)));
    assertEquals(Duration.ofMinutes(1), Duration.between(time.minute(0), time.minute(1)));
    Instant now = time.instant();
    assertFalse(now.isBefore(time.minute(0)), "minute 0 has begun: " + now);
  }

  @Test
  void aSixtySecondMinuteIsRealTime() {
    CompressedMinute time = new CompressedMinute(60);
    assertEquals(1.0, time.factor());
    assertEquals(Duration.ofSeconds(42), time.real(Duration.ofSeconds(42)));
  }
}
