package dev.hotpath.shared.turn.watchdog;

import java.util.Optional;

/**
 * What a scheduler delivery of one tick may do (Cloud Scheduler delivers at least once, and a retry
 * of a tick carries the same {@code X-CloudScheduler-ScheduleTime}).
 *
 * @param roundId the round's id when {@link Kind#RUN}, derived from the tick so it is stable
 * @param report the first delivery's report when {@link Kind#ANSWERED}
 */
public record TickClaim(Kind kind, String roundId, Optional<String> report) {

  public enum Kind {
    /** The first delivery of this tick (or a retry after the first one died): run the round. */
    RUN,
    /** The tick's round has finished: answer its report, probe nothing. */
    ANSWERED,
    /** The tick's round is still running elsewhere: probe nothing; retry later for its report. */
    RUNNING,
    /** A later tick of the same job has started already: this late delivery must not probe. */
    SUPERSEDED
  }
}
