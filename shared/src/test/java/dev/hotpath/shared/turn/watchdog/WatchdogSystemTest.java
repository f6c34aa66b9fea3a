package dev.hotpath.shared.turn.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.shared.turn.SystemTests;
import dev.hotpath.shared.turn.config.TurnConfig;
import dev.hotpath.shared.turn.probe.ProbeFailure;
import dev.hotpath.shared.turn.probe.ProbeKind;
import dev.hotpath.shared.turn.probe.ProbeResult;
import dev.hotpath.shared.turn.probe.TurnCredentials;
import dev.hotpath.shared.turn.probe.TurnSession;
import dev.hotpath.shared.turn.probe.UdpRetransmission;
import dev.hotpath.shared.turn.ssh.RestartResult;
import dev.hotpath.testsupport.turn.LocalCoturn;
import dev.hotpath.testsupport.turn.LocalSshd;
import dev.hotpath.testsupport.turn.LocalTlsCertificate;
import dev.hotpath.testsupport.turn.LoopbackTarget;
import dev.hotpath.testsupport.turn.SshKeyPair;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole watchdog end to end: a real coturn, a real sshd whose restart command restarts that
 * coturn, and state in the Datastore emulator through the real client. Short timeouts via config.
 */
@ExtendWith(SystemTests.class)
class WatchdogSystemTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  @TempDir static Path shared;
  static LocalSshd sshd;

  @TempDir Path dir;
  LocalCoturn coturn;

  @BeforeAll
  static void startSshd() throws Exception {
    sshd = LocalSshd.start(shared.resolve("sshd"));
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  @AfterEach
  void stopCoturn() throws Exception {
    if (coturn != null) {
      coturn.close();
    }
  }

  /** A target for the test's coturn restarted through the test's sshd, as TURN_TARGETS holds it. */
  private JsonObject target(String name, List<String> probes) {
    return LoopbackTarget.json(name, coturn, sshd, probes);
  }

  private Map<String, String> env(JsonObject... targets) throws Exception {
    JsonArray list = new JsonArray();
    for (JsonObject t : targets) {
      list.add(t);
    }
    Map<String, String> env = new HashMap<>();
    env.put("TURN_TARGETS", list.toString());
    env.put("TURN_SSH_PRIVATE_KEY", sshd.clientKey().privateKeyText());
    env.put("TURN_DOWN_THRESHOLD", "1");
    env.put("TURN_COOLDOWN_SECONDS", "60");
    env.put("TURN_PROBE_ATTEMPTS", "2");
    env.put("TURN_PROBE_SPACING_MS", "100");
    env.put("TURN_PROBE_TIMEOUT_MS", "500");
    env.put("TURN_UDP_RTO_MS", "100");
    env.put("TURN_RECOVERY_TIMEOUT_SECONDS", "20");
    env.put("TURN_RECOVERY_INTERVAL_MS", "200");
    env.put("TURN_SSH_CONNECT_TIMEOUT_MS", "10000");
    env.put("TURN_SSH_COMMAND_TIMEOUT_MS", "20000");
    env.put("TURN_TARGET_TIMEOUT_SECONDS", "90");
    env.put("DATASTORE_EMULATOR_HOST", datastore.emulator().host());
    env.put("GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT);
    return env;
  }

  private static WatchdogEngine engine(Map<String, String> env) throws Exception {
    return WatchdogEngine.create(TurnConfig.fromEnv(env));
  }

  private static TargetReport only(RoundReport round) {
    assertFalse(round.hasOwnFault(), round.toString());
    assertEquals(1, round.targets().size());
    return round.targets().get(0);
  }

  @Test
  void aHealthyTargetIsLeftAlone() throws Exception {
    coturn = LocalCoturn.start(dir, false);
    WatchdogEngine engine = engine(env(target("turn-a", List.of("stun-udp", "stun-tcp"))));
    TargetReport r = only(engine.runRound());
    assertTrue(r.healthy());
    assertEquals(Action.NONE, r.action());
    assertEquals(TargetStatus.HEALTHY, r.state().orElseThrow().status());
    assertEquals(0, coturn.sshRestarts());
    TargetView view = engine.status().get(0);
    assertEquals(TargetStatus.HEALTHY, view.state().status());
    assertTrue(view.incidents().isEmpty());
  }

  @Test
  void aKilledCoturnIsRestartedOverSshAndRecovers() throws Exception {
    coturn = LocalCoturn.start(dir, false);
    Map<String, String> env = env(target("turn-a", List.of("stun-udp", "stun-tcp")));
    env.put("TURN_DOWN_THRESHOLD", "2");
    WatchdogEngine engine = engine(env);
    coturn.kill();

    TargetReport first = only(engine.runRound());
    assertFalse(first.healthy());
    assertEquals(Action.BELOW_THRESHOLD, first.action(), "one bad round must not restart");
    assertEquals(0, coturn.sshRestarts());

    TargetReport second = only(engine.runRound());
    assertEquals(Action.RESTARTED, second.action());
    Incident incident = second.incident().orElseThrow();
    assertEquals(IncidentOutcome.RECOVERED, incident.outcome());
    assertTrue(incident.restart().orElseThrow().succeeded());
    assertTrue(incident.downtime().orElseThrow().compareTo(Duration.ZERO) > 0);
    assertEquals(1, coturn.sshRestarts());
    assertTrue(coturn.isRunning());
    assertEquals(TargetStatus.HEALTHY, second.state().orElseThrow().status());

    assertEquals(Action.NONE, only(engine.runRound()).action());
    TargetView view = engine.status().get(0);
    assertEquals(1, view.incidents().size());
    Incident stored = view.incidents().get(0);
    assertEquals(IncidentOutcome.RECOVERED, stored.outcome());
    assertEquals(first.state().orElseThrow().downSince().orElseThrow(), stored.detectedAt());
    assertEquals(incident.downtime(), stored.downtime());
    assertFalse(view.state().leaseHolder().isPresent(), "the lease is released");
  }

  @Test
  void aFailingRestartIsStillDownThenCoolsDownThenIsGivenUp() throws Exception {
    coturn = LocalCoturn.start(dir, false);
    JsonObject target = target("turn-a", List.of("stun-udp"));
    target
        .getAsJsonObject("ssh")
        .addProperty("restartCommand", "echo coturn refuses to start >&2; exit 1");
    Map<String, String> env = env(target);
    env.put("TURN_COOLDOWN_SECONDS", "5");
    env.put("TURN_RESTART_BUDGET_PER_HOUR", "2");
    AdvanceableClock clock = new AdvanceableClock();
    WatchdogEngine engine = WatchdogEngine.create(TurnConfig.fromEnv(env), clock);
    coturn.kill();

    TargetReport first = only(engine.runRound());
    assertEquals(Action.RESTARTED, first.action());
    RestartResult restart = first.incident().orElseThrow().restart().orElseThrow();
    assertEquals(IncidentOutcome.STILL_DOWN, first.incident().orElseThrow().outcome());
    assertEquals(1, restart.exitStatus().orElseThrow());
    assertTrue(restart.output().contains("coturn refuses to start"));

    assertEquals(Action.COOLDOWN, only(engine.runRound()).action());
    passCooldown(engine, clock, Duration.ofSeconds(5));
    assertEquals(Action.RESTARTED, only(engine.runRound()).action());
    passCooldown(engine, clock, Duration.ofSeconds(5));
    TargetReport givenUp = only(engine.runRound());
    assertEquals(Action.GIVEN_UP, givenUp.action());
    assertEquals(TargetStatus.GIVEN_UP, givenUp.state().orElseThrow().status());
    assertEquals(IncidentOutcome.GIVEN_UP, givenUp.incident().orElseThrow().outcome());
    passCooldown(engine, clock, Duration.ofSeconds(5));
    TargetReport stillGivenUp = only(engine.runRound());
    assertEquals(Action.NONE, stillGivenUp.action(), "no restarts once given up");
    assertEquals(TargetStatus.GIVEN_UP, stillGivenUp.state().orElseThrow().status());

    coturn.restartLocally(); // an operator fixed it by hand
    TargetReport healthy = only(engine.runRound());
    assertEquals(
        TargetStatus.HEALTHY,
        healthy.state().orElseThrow().status(),
        "seen healthy: no longer given up");
    List<Incident> incidents = engine.status().get(0).incidents();
    assertEquals(
        List.of(IncidentOutcome.GIVEN_UP, IncidentOutcome.STILL_DOWN, IncidentOutcome.STILL_DOWN),
        incidents.stream().map(Incident::outcome).toList());
  }

  /**
   * Moves {@code clock} just past the cooldown after the stored last restart (timed from the
   * record, not the test).
   */
  private static void passCooldown(
      WatchdogEngine engine, AdvanceableClock clock, Duration cooldown) {
    Instant over =
        engine.status().get(0).state().lastRestartAt().orElseThrow().plus(cooldown).plusMillis(1);
    Duration left = Duration.between(clock.instant(), over);
    if (left.compareTo(Duration.ZERO) > 0) {
      clock.advance(left);
    }
  }

  @Test
  void aWrongHostKeyIsRefusedAndNothingRuns() throws Exception {
    coturn = LocalCoturn.start(dir, false);
    JsonObject target = target("turn-a", List.of("stun-udp"));
    SshKeyPair impostor = SshKeyPair.generate(dir.resolve("impostor"), "impostor");
    target.getAsJsonObject("ssh").addProperty("hostKeyFingerprint", impostor.fingerprint());
    WatchdogEngine engine = engine(env(target));
    coturn.kill();

    TargetReport r = only(engine.runRound());
    Incident incident = r.incident().orElseThrow();
    assertEquals(IncidentOutcome.STILL_DOWN, incident.outcome());
    assertEquals(RestartResult.Status.HOST_KEY_MISMATCH, incident.restart().orElseThrow().status());
    assertEquals(0, coturn.sshRestarts(), "nothing may run on a host whose key does not match");
    assertFalse(coturn.isRunning());
    assertEquals(
        RestartResult.Status.HOST_KEY_MISMATCH,
        engine.status().get(0).incidents().get(0).restart().orElseThrow().status());
  }

  @Test
  void badCredentialsAreRecordedWithoutACrash() throws Exception {
    coturn = LocalCoturn.start(dir, false);
    Map<String, String> env = env(target("turn-a", List.of("stun-udp")));
    env.put(
        "TURN_SSH_PRIVATE_KEY",
        SshKeyPair.generate(dir.resolve("stranger"), "stranger").privateKeyText());
    WatchdogEngine engine = engine(env);
    coturn.kill();

    TargetReport r = only(engine.runRound());
    assertEquals(
        RestartResult.Status.AUTH_FAILED,
        r.incident().orElseThrow().restart().orElseThrow().status());
    assertEquals(IncidentOutcome.STILL_DOWN, r.incident().orElseThrow().outcome());
    assertEquals(0, coturn.sshRestarts());
  }

  @Test
  void aUdpOnlyCoturnIsHealthyUnderStunUdp() throws Exception {
    coturn = LocalCoturn.start(dir, true);
    Map<String, String> env =
        env(
            target("udp-only", List.of("stun-udp")),
            target("udp-only-tcp-probed", List.of("stun-tcp")));
    env.put("TURN_DOWN_THRESHOLD", "3");
    RoundReport round = engine(env).runRound();
    assertEquals(TargetStatus.HEALTHY, round.targets().get(0).state().orElseThrow().status());
    // The same server probed over TCP looks down: why stun-udp is among the defaults.
    assertEquals(TargetStatus.DOWN, round.targets().get(1).state().orElseThrow().status());
    assertEquals(0, coturn.sshRestarts());
  }

  @Test
  void turnUdpProbeSeesCoturnsChallenge() throws Exception {
    coturn = LocalCoturn.start(dir, false);
    TargetReport r = only(engine(env(target("turn-a", List.of("turn-udp")))).runRound());
    assertTrue(r.healthy());
    assertEquals("401 challenge from realm hotpath.test", r.probes().get(0).detail());
  }

  @Test
  void twoConcurrentRoundsRestartOnlyOnce() throws Exception {
    coturn = LocalCoturn.start(dir, false);
    Map<String, String> env = env(target("turn-a", List.of("stun-udp")));
    WatchdogEngine one = engine(env);
    WatchdogEngine two = engine(env);
    coturn.kill();

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<RoundReport>> rounds =
          pool.invokeAll(List.<Callable<RoundReport>>of(one::runRound, two::runRound));
      List<Action> actions =
          List.of(only(rounds.get(0).get()).action(), only(rounds.get(1).get()).action());
      assertEquals(
          1, actions.stream().filter(a -> a == Action.RESTARTED).count(), actions.toString());
      assertTrue(
          actions.contains(Action.LEASED_ELSEWHERE) || actions.contains(Action.COOLDOWN),
          actions.toString());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, coturn.sshRestarts());
    assertTrue(coturn.isRunning());
  }

  // --- Diagnosis before cure: a coturn with the TURN REST secret, TLS and a small relay port
  // range.

  private static final String SECRET = "watchdog-test-secret";
  private static final List<String> ALL_PROBES = List.of("stun-udp", "turn-relay", "stun-tls");

  /** Starts coturn with a certificate valid from {@code startDaysAgo} for {@code validDays}. */
  private void startFullCoturn(int startDaysAgo, int validDays, int relayPorts) throws Exception {
    startFullCoturn(startDaysAgo, validDays, relayPorts, UnaryOperator.identity());
  }

  /** As above, with options {@code setUp} changes (a server set up wrong on purpose). */
  private void startFullCoturn(
      int startDaysAgo, int validDays, int relayPorts, UnaryOperator<LocalCoturn.Options> setUp)
      throws Exception {
    LocalTlsCertificate cert =
        LocalTlsCertificate.generate(
            dir.resolve("tls"), "turn.hotpath.test", startDaysAgo, validDays);
    coturn =
        LocalCoturn.start(
            dir.resolve("coturn"),
            setUp.apply(
                LocalCoturn.Options.DEFAULT
                    .withRestSecret(SECRET)
                    .withTls(cert)
                    .withRelayPorts(relayPorts)));
  }

  private Map<String, String> fullEnv(List<String> probes) throws Exception {
    Map<String, String> env = env(target("turn-a", probes));
    env.put("TURN_REST_SECRET", SECRET);
    env.put("TURN_TLS_CA_CERTS", coturn.options().tls().caPem());
    // TLS handshakes and relay exchanges on a loaded 2-core machine: room for the slow ones.
    env.put("TURN_PROBE_TIMEOUT_MS", "3000");
    env.put("TURN_TARGET_TIMEOUT_SECONDS", "150");
    return env;
  }

  private static ProbeResult probe(TargetReport r, ProbeKind kind) {
    return r.probes().stream().filter(p -> p.kind() == kind).findFirst().orElseThrow();
  }

  @Test
  void aRelayingServerIsHealthyWithItsRoundTripAndCertificateReported() throws Exception {
    startFullCoturn(1, 60, 10);
    WatchdogEngine engine = engine(fullEnv(ALL_PROBES));
    TargetReport r = only(engine.runRound());
    assertTrue(r.healthy(), r.probes().toString());
    assertEquals(TargetStatus.HEALTHY, r.state().orElseThrow().status());
    assertTrue(probe(r, ProbeKind.TURN_RELAY).facts().relayRoundTrip().isPresent());
    Instant expiry = probe(r, ProbeKind.STUN_TLS).facts().certificateExpiry().orElseThrow();
    assertTrue(expiry.isAfter(Instant.now().plus(Duration.ofDays(58))), expiry.toString());
    assertEquals(List.of(), r.warnings());
    assertEquals(expiry, engine.status().get(0).state().certificateExpiresAt().orElseThrow());
  }

  @Test
  void aRotatedSecretIsMisconfiguredAndNeverRestarted() throws Exception {
    startFullCoturn(1, 60, 10);
    Map<String, String> env = fullEnv(List.of("stun-udp", "turn-relay"));
    env.put("TURN_DOWN_THRESHOLD", "1");
    WatchdogEngine engine = engine(env);
    coturn.reconfigure(coturn.options().withRestSecret("a-secret-the-watchdog-does-not-know"));

    TargetReport first = only(engine.runRound());
    assertTrue(probe(first, ProbeKind.STUN_UDP).alive());
    ProbeResult relay = probe(first, ProbeKind.TURN_RELAY);
    assertFalse(relay.alive());
    assertEquals(401, relay.facts().stunError().orElseThrow(), relay.detail());
    assertEquals(Action.ALERTED, first.action());
    assertEquals(TargetStatus.MISCONFIGURED, first.state().orElseThrow().status());
    Incident incident = first.incident().orElseThrow();
    assertEquals(IncidentOutcome.ALERTED, incident.outcome());
    assertEquals(Diagnosis.CREDENTIALS_REJECTED, incident.cause());

    TargetReport second = only(engine.runRound());
    assertEquals(Action.NONE, second.action(), "alerted once, not every round");
    assertEquals(TargetStatus.MISCONFIGURED, second.state().orElseThrow().status());
    assertEquals(0, coturn.sshRestarts(), "a restart does not cure a wrong secret");
    assertEquals(1, engine.status().get(0).incidents().size());
  }

  @Test
  void exhaustedRelayPortsAreDegradedWithThe508() throws Exception {
    startFullCoturn(1, 60, 2);
    Map<String, String> env = fullEnv(List.of("stun-udp", "turn-relay"));
    env.put("TURN_DOWN_THRESHOLD", "1");
    WatchdogEngine engine = engine(env);
    List<TurnSession> held = new ArrayList<>();
    try {
      holdAllocationsUntilRefused(held);
      TargetReport r = only(engine.runRound());
      ProbeResult relay = probe(r, ProbeKind.TURN_RELAY);
      assertEquals(508, relay.facts().stunError().orElseThrow(), relay.detail());
      assertEquals(TargetStatus.DEGRADED, r.state().orElseThrow().status());
      assertEquals(Action.ALERTED, r.action());
      assertEquals(Diagnosis.CAPACITY, r.incident().orElseThrow().cause());
      assertEquals(0, coturn.sshRestarts(), "capacity is restarted only when the target opts in");
    } finally {
      held.forEach(TurnSession::close);
    }
  }

  /** Allocates (and keeps) relays with valid credentials until coturn refuses one. */
  private void holdAllocationsUntilRefused(List<TurnSession> held) throws Exception {
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", coturn.port());
    UdpRetransmission fast = new UdpRetransmission(Duration.ofMillis(100), 7, 4);
    for (int i = 0; i < 10; i++) {
      TurnSession session =
          TurnSession.open(
              server, TurnCredentials.rest(SECRET, "holder", Instant.now().plusSeconds(600)), fast);
      held.add(session);
      try {
        session.allocate(Duration.ofSeconds(3));
      } catch (ProbeFailure refused) {
        assertEquals(508, refused.facts().stunError().orElseThrow(), refused.getMessage());
        return;
      }
    }
    throw new AssertionError("the relay ports never ran out");
  }

  // --- A server that answers gets no restart (issue 25): the relays are on 127.0.0.2, so a peer
  // policy can refuse the prober (127.0.0.1) and not the relays, or the other way round.

  private static final String RELAY_IP = "127.0.0.2";

  /**
   * Two rounds against a coturn set up wrong: the first is alerted with {@code code} under {@code
   * status}, the second adds no incident, and the restart command never runs.
   */
  private TargetReport alertedTwiceWithoutRestart(int code, TargetStatus status) throws Exception {
    return alertedTwiceWithoutRestart(fullEnv(List.of("stun-udp", "turn-relay")), code, status);
  }

  private TargetReport alertedTwiceWithoutRestart(
      Map<String, String> env, int code, TargetStatus status) throws Exception {
    WatchdogEngine engine = engine(env);
    TargetReport first = only(engine.runRound());
    assertTrue(probe(first, ProbeKind.STUN_UDP).alive());
    ProbeResult relay = probe(first, ProbeKind.TURN_RELAY);
    assertFalse(relay.alive());
    assertEquals(code, relay.facts().stunError().orElseThrow(), relay.detail());
    assertEquals(Action.ALERTED, first.action(), relay.detail());
    assertEquals(status, first.state().orElseThrow().status());
    Incident incident = first.incident().orElseThrow();
    assertEquals(IncidentOutcome.ALERTED, incident.outcome());
    assertTrue(incident.detail().contains("; check "), "says what to check: " + incident.detail());

    TargetReport second = only(engine.runRound());
    assertEquals(Action.NONE, second.action(), "alerted once, not every round");
    assertEquals(status, second.state().orElseThrow().status());
    assertEquals(0, coturn.sshRestarts(), "a server that answers is not restarted");
    assertEquals(1, engine.status().get(0).incidents().size());
    return first;
  }

  @Test
  void aPeerPolicyRefusingTheProberIsAlertedWithThe403AndNeverRestarted() throws Exception {
    startFullCoturn(1, 60, 10, o -> o.withRelayIp(RELAY_IP).withArgs("--denied-peer-ip=127.0.0.1"));
    TargetReport r = alertedTwiceWithoutRestart(403, TargetStatus.MISBEHAVING);
    String detail = probe(r, ProbeKind.TURN_RELAY).detail();
    assertTrue(detail.startsWith("the prober as peer"), "relay to relay passed: " + detail);
    assertTrue(detail.contains("denied-peer-ip"), detail);
    assertEquals(Diagnosis.MISBEHAVING, r.incident().orElseThrow().cause());
  }

  @Test
  void disabledUdpRelayingIsAlertedWithThe442AndNeverRestarted() throws Exception {
    startFullCoturn(1, 60, 10, o -> o.withArgs("--no-udp-relay"));
    TargetReport r = alertedTwiceWithoutRestart(442, TargetStatus.MISBEHAVING);
    assertTrue(probe(r, ProbeKind.TURN_RELAY).detail().contains("no-udp-relay"));
  }

  @Test
  void relayToRelayRefusedIsNotHealthy() throws Exception {
    startFullCoturn(
        1, 60, 10, o -> o.withRelayIp(RELAY_IP).withArgs("--denied-peer-ip=" + RELAY_IP));
    TargetReport r = alertedTwiceWithoutRestart(403, TargetStatus.MISBEHAVING);
    assertTrue(
        probe(r, ProbeKind.TURN_RELAY).detail().startsWith("relay to relay"),
        probe(r, ProbeKind.TURN_RELAY).detail());
  }

  /** Room for one allocation only: the probe's first one passes, the second is refused. */
  @ParameterizedTest
  @ValueSource(strings = {"--total-quota=1", "--user-quota=1"})
  void aServerOneAllocationFromFullIsDegraded(String quota) throws Exception {
    startFullCoturn(1, 60, 10, o -> o.withArgs(quota));
    Map<String, String> env = fullEnv(List.of("stun-udp", "turn-relay"));
    // One try: coturn frees a quota a while after Refresh 0, so a second try's first allocation
    // may already be refused (also DEGRADED, but not the case under test).
    env.put("TURN_PROBE_ATTEMPTS", "1");
    TargetReport r = alertedTwiceWithoutRestart(env, 486, TargetStatus.DEGRADED);
    assertEquals(Diagnosis.CAPACITY, r.incident().orElseThrow().cause());
    assertTrue(
        probe(r, ProbeKind.TURN_RELAY).detail().startsWith("a second allocation"),
        probe(r, ProbeKind.TURN_RELAY).detail());
  }

  /**
   * A wrong external-ip: coturn answers everything but announces relayed addresses nothing listens
   * on. One restart may cure lost relayed bytes; once it has not, the outage is alerted.
   */
  @Test
  void aWrongExternalIpGetsOneRestartThenAnAlert() throws Exception {
    startFullCoturn(1, 60, 10, o -> o.withArgs("--external-ip=127.0.0.3/127.0.0.1"));
    Map<String, String> env = fullEnv(List.of("stun-udp", "turn-relay"));
    env.put("TURN_PROBE_TIMEOUT_MS", "1500");
    env.put("TURN_RECOVERY_TIMEOUT_SECONDS", "3");
    WatchdogEngine engine = engine(env);

    TargetReport first = only(engine.runRound());
    ProbeResult relay = probe(first, ProbeKind.TURN_RELAY);
    assertTrue(relay.facts().relayedDataLost(), relay.detail());
    assertEquals(Action.RESTARTED, first.action());
    assertEquals(Diagnosis.RELAY_LOST, first.incident().orElseThrow().cause());
    assertEquals(IncidentOutcome.STILL_DOWN, first.incident().orElseThrow().outcome());

    TargetReport second = only(engine.runRound());
    assertEquals(Action.ALERTED, second.action());
    assertEquals(TargetStatus.MISBEHAVING, second.state().orElseThrow().status());
    assertTrue(
        second.incident().orElseThrow().detail().contains("external-ip"),
        second.incident().orElseThrow().detail());
    assertEquals(Action.NONE, only(engine.runRound()).action());
    assertEquals(1, coturn.sshRestarts(), "no restart after the one that did not cure it");
  }

  @Test
  void aCertificateExpiringInTwoDaysIsAWarning() throws Exception {
    startFullCoturn(1, 3, 10);
    WatchdogEngine engine = engine(fullEnv(List.of("stun-tls")));
    TargetReport r = only(engine.runRound());
    assertTrue(r.healthy(), r.probes().toString());
    assertEquals(1, r.warnings().size(), r.warnings().toString());
    assertTrue(
        r.warnings().get(0).contains("expires at") && r.warnings().get(0).contains("(in 1 days"),
        r.warnings().get(0));
    assertEquals(r.warnings(), engine.status().get(0).warnings(), "GET carries the warning too");
  }

  @Test
  void anExpiredCertificateFailsStunTls() throws Exception {
    startFullCoturn(10, 1, 10);
    Map<String, String> env = fullEnv(List.of("stun-udp", "stun-tls"));
    env.put("TURN_DOWN_THRESHOLD", "2");
    TargetReport r = only(engine(env).runRound());
    assertTrue(probe(r, ProbeKind.STUN_UDP).alive());
    ProbeResult tls = probe(r, ProbeKind.STUN_TLS);
    assertFalse(tls.alive());
    assertTrue(tls.facts().certificateExpiry().orElseThrow().isBefore(Instant.now()), tls.detail());
    assertEquals(TargetStatus.DOWN, r.state().orElseThrow().status());
    assertTrue(
        r.warnings().get(0).startsWith("TLS certificate expired at"), r.warnings().toString());
  }

  @Test
  void aFrozenCoturnIsRestartedOverSshAndRecovers() throws Exception {
    startFullCoturn(1, 60, 10);
    Map<String, String> env = fullEnv(ALL_PROBES);
    env.put("TURN_DOWN_THRESHOLD", "1");
    WatchdogEngine engine = engine(env);
    coturn.freeze();

    TargetReport r = only(engine.runRound());
    assertFalse(probe(r, ProbeKind.STUN_UDP).alive(), "SIGSTOP: nothing answers");
    assertEquals(Action.RESTARTED, r.action());
    Incident incident = r.incident().orElseThrow();
    assertEquals(Diagnosis.DOWN, incident.cause());
    assertEquals(
        IncidentOutcome.RECOVERED, incident.outcome(), incident.restart().orElseThrow().toString());
    assertEquals(1, coturn.sshRestarts());
    assertEquals(TargetStatus.HEALTHY, r.state().orElseThrow().status());
    assertTrue(only(engine.runRound()).healthy(), "the restarted coturn relays");
  }

  @Test
  void aHangingRestartIsKilledOnTheHostSoRestartsNeverOverlap() throws Exception {
    coturn = LocalCoturn.start(dir, false);
    Path pids = dir.resolve("restart.pids");
    Path overlaps = dir.resolve("overlaps");
    JsonObject target = target("turn-a", List.of("stun-udp"));
    // Each run first notes any earlier run still alive, then hangs.
    target
        .getAsJsonObject("ssh")
        .addProperty(
            "restartCommand",
            "for p in $(cat "
                + pids
                + " 2>/dev/null); do"
                + " kill -0 $p 2>/dev/null && echo $p >> "
                + overlaps
                + "; done; echo $$ >> "
                + pids
                + "; sleep 600");
    Map<String, String> env = env(target);
    env.put("TURN_SSH_COMMAND_TIMEOUT_MS", "1000");
    env.put("TURN_COOLDOWN_SECONDS", "0");
    env.put("TURN_RESTART_BUDGET_PER_HOUR", "10");
    WatchdogEngine engine = engine(env);
    coturn.kill();

    for (int round = 0; round < 3; round++) {
      TargetReport r = only(engine.runRound());
      assertEquals(Action.RESTARTED, r.action(), "round " + round);
      assertEquals(
          RestartResult.Status.COMMAND_KILLED,
          r.incident().orElseThrow().restart().orElseThrow().status());
      assertFalse(
          r.state().orElseThrow().leaseHolder().isPresent(),
          "killed, so the lease is free for the next round");
    }
    assertEquals(3, java.nio.file.Files.readAllLines(pids).size());
    assertFalse(
        java.nio.file.Files.exists(overlaps), "a restart ran while an earlier one was still alive");
  }
}
