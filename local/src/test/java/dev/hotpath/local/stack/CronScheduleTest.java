package dev.hotpath.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static ZonedDateTime at(String local) {
    return ZonedDateTime.parse(local + "Z[UTC]");
  }

  @Test
  void everyMinuteFiresAtTheNextWholeMinute() {
    CronSchedule every = CronSchedule.parse("* * * * *");
    assertEquals(at("2026-03-01T10:16:00"), every.next(at("2026-03-01T10:15:59.900")));
    assertEquals(
        at("2026-03-01T10:16:00"), every.next(at("2026-03-01T10:15:00")), "strictly after");
  }

  @Test
  void stepsRangesAndListsCombine() {
    CronSchedule office = CronSchedule.parse("*/15 9-17 * * 1-5");
    // Friday 17:50 → Monday 09:00
    assertEquals(at("2026-03-09T09:00:00"), office.next(at("2026-03-06T17:50:00")));
    assertEquals(at("2026-03-09T09:15:00"), office.next(at("2026-03-09T09:00:00")));
    CronSchedule list = CronSchedule.parse("5,35 0 1 1,7 *");
    assertEquals(at("2026-07-01T00:05:00"), list.next(at("2026-01-01T00:35:00")));
  }

  @Test
  void restrictedDayFieldsFireOnEither() {
    CronSchedule s = CronSchedule.parse("0 0 13 * 5"); // the 13th, or any Friday
    assertEquals(at("2026-03-06T00:00:00"), s.next(at("2026-03-01T00:00:00")));
    assertEquals(at("2026-03-13T00:00:00"), s.next(at("2026-03-06T00:00:00")));
    assertEquals(
        ZonedDateTime.of(2026, 3, 1, 0, 0, 0, 0, UTC),
        CronSchedule.parse("0 0 * * 7").next(at("2026-02-28T12:00:00")));
  }

  @Test
  void badExpressionsNameTheField() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* * * *"))
            .getMessage()
            .contains("5 fields"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("60 * * * *"))
            .getMessage()
            .contains("minute"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* * * 0 *"))
            .getMessage()
            .contains("month"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* x * * *"))
            .getMessage()
            .contains("hour"));
  }
}
