package dev.hotpath.emulators.datastore.store;

import com.google.protobuf.Timestamp;

/** Conversions between microseconds since the epoch (versions, commit times) and Timestamps. */
public final class Micros {

  public static Timestamp toTimestamp(long micros) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(micros, 1_000_000L))
        .setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000)
        .build();
  }

  /** {@code time} in microseconds, rounded down as Datastore stores it. */
  public static long of(Timestamp time) {
    return time.getSeconds() * 1_000_000L + time.getNanos() / 1000;
  }

  private Micros() {}
}
