package dev.hotpath.shared.turn.watchdog;

import dev.hotpath.shared.turn.config.WatchdogSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The rounds of one scheduler tick: {@link WatchdogSettings#roundsPerMinute()} of them, one every
 * {@link WatchdogSettings#roundSpacing()} from the tick's time, so a server that dies is seen
 * within a spacing instead of a minute. The slot that is due when the delivery arrives runs at once
 * (the delivery is its trigger; a late retry must not wait for nothing), later slots at their
 * times. A slot that passed while an earlier round still ran (a restart and its recovery take
 * minutes) is skipped, never run late: rounds never bunch up, and none starts after the tick's
 * minute, which is what bounds a tick by {@link WatchdogSettings#tickDuration()}.
 */
final class TickRounds {
  private static final Logger LOG = Logger.getLogger(TickRounds.class.getName());

  /** One round, as {@link WatchdogEngine#runRound(String)} runs it. */
  @FunctionalInterface
  interface Round {
    RoundReport run(String roundId) throws InterruptedException;
  }

  private final int perMinute;
  private final Duration spacing;
  private final Clock clock;
  private final Sleeper sleeper;

  TickRounds(WatchdogSettings settings, Clock clock, Sleeper sleeper) {
    this.perMinute = settings.roundsPerMinute();
    this.spacing = settings.roundSpacing();
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Runs the tick's due and later slots; stops after a round that failed itself (the caller lets
   * the tick be retried, and the retry runs the slot due then).
   *
   * @param tick the time the slots are counted from (the scheduled time, or now without one)
   * @param tickRoundId the tick's round id; slot {@code k} of several runs as {@code id-(k+1)}, so
   *     a retry of a slot is recognised as the same round while every slot is a round of its own
   */
  List<RoundReport> run(Instant tick, String tickRoundId, Round round) throws InterruptedException {
    List<RoundReport> reports = new ArrayList<>();
    int slot = dueSlot(tick, clock.instant());
    while (true) {
      RoundReport report = round.run(roundId(tickRoundId, slot));
      reports.add(report);
      if (report.hasOwnFault()) {
        return reports;
      }
      int next = nextSlot(tick, slot, clock.instant());
      if (next >= perMinute) {
        return reports;
      }
      if (next > slot + 1) {
        int skipped = next - slot - 1;
        String late = roundId(tickRoundId, slot);
        LOG.warning(
            () ->
                "round "
                    + late
                    + " ran past the time of the next "
                    + skipped
                    + "; skipping "
                    + (skipped == 1 ? "it" : "them"));
      }
      sleeper.sleepUntil(slotTime(tick, next));
      slot = next;
    }
  }

  /** The latest slot whose time has come (the first when none has: a tick seen early). */
  private int dueSlot(Instant tick, Instant now) {
    if (!now.isAfter(tick)) {
      return 0;
    }
    long elapsed = Duration.between(tick, now).toNanos();
    return (int) Math.min(perMinute - 1L, elapsed / spacing.toNanos());
  }

  /** The first slot after {@code slot} whose time has not passed ({@link #perMinute} if none). */
  private int nextSlot(Instant tick, int slot, Instant now) {
    int next = slot + 1;
    while (next < perMinute && slotTime(tick, next).isBefore(now)) {
      next++;
    }
    return next;
  }

  private Instant slotTime(Instant tick, int slot) {
    return tick.plus(spacing.multipliedBy(slot));
  }

  private String roundId(String tickRoundId, int slot) {
    return perMinute == 1 ? tickRoundId : tickRoundId + "-" + (slot + 1);
  }
}
