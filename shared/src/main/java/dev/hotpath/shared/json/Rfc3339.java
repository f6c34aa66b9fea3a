package dev.hotpath.shared.json;

import com.google.cloud.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** How the API writes times. */
public final class Rfc3339 {
  /** RFC 3339 in UTC with as few fraction digits as needed: 2026-01-02T03:04:05.123456Z. */
  public static String format(Timestamp t) {
    return DateTimeFormatter.ISO_INSTANT.format(
        Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
  }

  private Rfc3339() {}
}
