package dev.hotpath.shared.turn.watchdog;

import java.util.List;

/** A target's stored state and its recent incidents, newest first (what {@code GET} shows). */
public record TargetView(TargetState state, List<Incident> incidents) {}
