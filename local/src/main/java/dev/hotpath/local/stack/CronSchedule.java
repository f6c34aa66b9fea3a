package dev.hotpath.local.stack;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A five-field cron expression as Cloud Scheduler takes it ({@code minute hour day-of-month month
 * day-of-week}; {@code *}, {@code a-b}, {@code a,b}, {@code * /n} and {@code a-b/n}; Sunday is 0 or
 * 7). When both day fields are restricted, a day matching either fires, as in Vixie cron.
 */
public final class CronSchedule {
  private static final String[] FIELD_NAMES = {
    "minute", "hour", "day of month", "month", "day of week"
  };
  private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronSchedule(
      String expression, BitSet[] fields, boolean anyDayOfMonth, boolean anyDayOfWeek) {
    this.expression = expression;
    this.minutes = fields[0];
    this.hours = fields[1];
    this.daysOfMonth = fields[2];
    this.months = fields[3];
    this.daysOfWeek = fields[4];
    this.anyDayOfMonth = anyDayOfMonth;
    this.anyDayOfWeek = anyDayOfWeek;
  }

  /** Parses {@code expression}; the exception names the field that is wrong. */
  public static CronSchedule parse(String expression) {
    String[] parts = expression.trim().split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException(
          "cron needs 5 fields (minute hour day-of-month month day-of-week), got '"
              + expression
              + "'");
    }
    BitSet[] fields = new BitSet[5];
    for (int i = 0; i < 5; i++) {
      fields[i] = field(parts[i], FIELD_NAMES[i], RANGES[i][0], RANGES[i][1]);
    }
    if (fields[4].get(7)) {
      fields[4].set(0); // 7 is Sunday too
    }
    return new CronSchedule(expression.trim(), fields, parts[2].equals("*"), parts[4].equals("*"));
  }

  /** The first time strictly after {@code after}, at whole minutes, that this schedule fires. */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = t.plusYears(5); // e.g. "0 0 30 2 *" never fires
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t;
      }
    }
    throw new IllegalStateException("cron '" + expression + "' never fires");
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow =
        daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(String text, String name, int min, int max) {
    BitSet set = new BitSet(max + 1);
    for (String item : text.split(",")) {
      String range = item;
      int step = 1;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = number(item.substring(slash + 1), name, 1, max);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", 2);
        from = number(ends[0], name, min, max);
        to = number(ends[1], name, min, max);
        if (from > to) {
          throw new IllegalArgumentException(
              "cron " + name + " range '" + range + "' runs backwards");
        }
      } else {
        from = number(range, name, min, max);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        set.set(v);
      }
    }
    return set;
  }

  private static int number(String text, String name, int min, int max) {
    try {
      int v = Integer.parseInt(text);
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            "cron " + name + " must be from " + min + " to " + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cron " + name + " has '" + text + "', not a number");
    }
  }

  @Override
  public String toString() {
    return expression;
  }
}
