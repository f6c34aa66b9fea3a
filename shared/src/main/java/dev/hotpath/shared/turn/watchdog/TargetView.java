package dev.hotpath.shared.turn.watchdog;

import java.util.List;

/**
 * A target's stored state, its recent incidents, newest first, and its warnings as of now (a
 * certificate near or past its expiry): what {@code GET} shows.
 */
public record TargetView(TargetState state, List<Incident> incidents, List<String> warnings) {}
