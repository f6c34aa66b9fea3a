package dev.hotpath.shared.turn.watchdog;

import java.util.Optional;

/**
 * What one round's probe results do to a target's state: the state to store, the action to take,
 * and the incident to open (when restarting or giving up).
 */
public record Observation(TargetState after, Action action, Optional<Incident> incident) {}
