package dev.hotpath.shared.turn.watchdog;

import dev.hotpath.shared.turn.config.TurnSecrets;
import dev.hotpath.shared.turn.config.TurnTarget;
import dev.hotpath.shared.turn.config.WatchdogSettings;
import dev.hotpath.shared.turn.probe.AttemptPolicy;
import dev.hotpath.shared.turn.probe.HttpProbe;
import dev.hotpath.shared.turn.probe.Probe;
import dev.hotpath.shared.turn.probe.ProbeKind;
import dev.hotpath.shared.turn.probe.ProbeResult;
import dev.hotpath.shared.turn.probe.StunTcpProbe;
import dev.hotpath.shared.turn.probe.StunTlsProbe;
import dev.hotpath.shared.turn.probe.StunUdpProbe;
import dev.hotpath.shared.turn.probe.TcpProbe;
import dev.hotpath.shared.turn.probe.TlsTrust;
import dev.hotpath.shared.turn.probe.TurnCredentials;
import dev.hotpath.shared.turn.probe.TurnRelayProbe;
import dev.hotpath.shared.turn.probe.TurnUdpProbe;
import dev.hotpath.shared.turn.probe.UdpRetransmission;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The configured probes of one target, run under an attempt policy. */
public final class TargetProbes {
  private final List<Probe> probes;

  private final boolean restartOnCapacity;

  /**
   * @param secrets the credentials turn-relay authenticates with (minted per attempt at {@code
   *     clock}'s time)
   * @param trust the certificate authorities stun-tls accepts
   */
  public TargetProbes(
      TurnTarget target,
      WatchdogSettings settings,
      TurnSecrets secrets,
      TlsTrust trust,
      Clock clock) {
    UdpRetransmission schedule = UdpRetransmission.rfc5389(settings.udpRto());
    Supplier<TurnCredentials> credentials =
        () -> secrets.credentials(target.auth().orElseThrow(), clock.instant());
    List<Probe> list = new ArrayList<>();
    for (ProbeKind kind : target.probes()) {
      list.add(
          switch (kind) {
            case TCP -> new TcpProbe(target.host(), target.port());
            case STUN_UDP -> new StunUdpProbe(target.host(), target.port(), schedule);
            case STUN_TCP -> new StunTcpProbe(target.host(), target.port());
            case TURN_UDP -> new TurnUdpProbe(target.host(), target.port(), schedule);
            case TURN_RELAY ->
                new TurnRelayProbe(target.host(), target.port(), schedule, credentials);
            case TURN_RELAY_TCP ->
                TurnRelayProbe.overTcp(target.host(), target.port(), schedule, credentials);
            case STUN_TLS ->
                new StunTlsProbe(target.host(), target.tlsPort(), target.tlsServerName(), trust);
            case HTTP -> new HttpProbe(target.url().orElseThrow());
          });
    }
    this.probes = List.copyOf(list);
    this.restartOnCapacity = target.restartOnCapacity();
  }

  /** Every probe once under {@code policy}, in the configured order. */
  public List<ProbeResult> run(AttemptPolicy policy) throws InterruptedException {
    List<ProbeResult> results = new ArrayList<>();
    for (Probe probe : probes) {
      results.add(policy.run(probe));
    }
    return results;
  }

  public static boolean allAlive(List<ProbeResult> results) {
    return results.stream().allMatch(ProbeResult::alive);
  }

  /** What the restart policy takes from a round's results. */
  public Verdict verdict(List<ProbeResult> results) {
    Optional<Instant> expiry =
        results.stream()
            .filter(r -> r.kind() == ProbeKind.STUN_TLS)
            .flatMap(r -> r.facts().certificateExpiry().stream())
            .findFirst();
    return new Verdict(Diagnosis.of(results), summary(results), expiry, restartOnCapacity);
  }

  /** One line per probe, for the stored state. */
  public static String summary(List<ProbeResult> results) {
    return results.stream().map(ProbeResult::toString).collect(Collectors.joining("\n"));
  }
}
