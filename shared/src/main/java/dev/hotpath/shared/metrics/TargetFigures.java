package dev.hotpath.shared.metrics;

import java.time.Instant;

/**
 * The latest round's view of one TURN target.
 *
 * @param target the target's name (TURN_TARGETS[].name; configured, so bounded)
 * @param status its status after the round (UP, DOWN, RESTARTING, GIVEN_UP, …)
 * @param probeMillis the round's probe round-trip time, in milliseconds; -1 if no probe answered
 * @param at when the round ended
 */
public record TargetFigures(String target, String status, long probeMillis, Instant at) {}
