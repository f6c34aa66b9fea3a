package dev.hotpath.shared.metrics;

import java.time.Instant;
import java.util.List;

/**
 * Everything {@link Metrics} holds at one moment; cumulative since the instance started, so two
 * snapshots subtract to an interval.
 *
 * @param at when it was taken
 * @param counters counters written recently, most recent first (at most {@code limit} of {@link
 *     Metrics#snapshot(int)})
 * @param groups groups written recently, most recent first (same bound)
 * @param operations deferred operations
 * @param write the Write API's totals over every name
 * @param watchdogRounds watchdog rounds run
 * @param targets every TURN target's latest status, by name
 */
public record MetricsSnapshot(
    Instant at,
    List<NameFigures> counters,
    List<NameFigures> groups,
    OperationFigures operations,
    WriteFigures write,
    long watchdogRounds,
    List<TargetFigures> targets) {}
