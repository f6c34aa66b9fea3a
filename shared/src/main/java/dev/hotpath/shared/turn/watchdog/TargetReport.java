package dev.hotpath.shared.turn.watchdog;

import dev.hotpath.shared.turn.probe.ProbeResult;
import java.util.List;
import java.util.Optional;

/**
 * What one round found and did for one target. {@code error} is set when the watchdog itself failed
 * on this target (e.g. Datastore unreachable): the function's fault, not the target's. {@code
 * warnings} are problems to fix before they become outages (a certificate about to expire).
 */
public record TargetReport(
    String target,
    List<ProbeResult> probes,
    Action action,
    Optional<TargetState> state,
    Optional<Incident> incident,
    Optional<String> error,
    List<String> warnings) {

  public boolean healthy() {
    return !probes.isEmpty() && TargetProbes.allAlive(probes);
  }
}
