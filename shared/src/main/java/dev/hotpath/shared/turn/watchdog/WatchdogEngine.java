package dev.hotpath.shared.turn.watchdog;

import dev.hotpath.shared.config.ConfigException;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.metrics.Event;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.retry.RetryPolicy;
import dev.hotpath.shared.turn.config.TurnConfig;
import dev.hotpath.shared.turn.config.TurnSecrets;
import dev.hotpath.shared.turn.config.TurnTarget;
import dev.hotpath.shared.turn.config.WatchdogSettings;
import dev.hotpath.shared.turn.probe.AttemptPolicy;
import dev.hotpath.shared.turn.probe.ProbeResult;
import dev.hotpath.shared.turn.probe.TlsTrust;
import dev.hotpath.shared.turn.ssh.RestartResult;
import dev.hotpath.shared.turn.ssh.SshRestarter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs watchdog rounds: every target in parallel, each bounded by its own timeout; probes, decides
 * under {@link RestartPolicy} in a Datastore transaction, restarts over SSH, re-probes until
 * healthy or the recovery timeout, and records the incident.
 */
public final class WatchdogEngine {
  private static final Logger LOG = Logger.getLogger(WatchdogEngine.class.getName());

  /** Re-running a whole state transaction: a few tries within seconds, well inside a round. */
  private static final RetryPolicy TRANSACTION_RETRY =
      new RetryPolicy(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(15));

  private final List<TurnTarget> targets;
  private final WatchdogSettings settings;
  private final TurnSecrets secrets;
  private final TlsTrust tlsTrust;
  private final DatastoreTurnStore store;
  private final SshRestarter restarter;
  private final RestartPolicy policy;
  private final Clock clock;
  private final TickRounds tickRounds;

  public WatchdogEngine(
      List<TurnTarget> targets,
      WatchdogSettings settings,
      TurnSecrets secrets,
      TlsTrust tlsTrust,
      DatastoreTurnStore store,
      SshRestarter restarter,
      Clock clock,
      Sleeper sleeper) {
    this.targets = List.copyOf(targets);
    this.settings = settings;
    this.secrets = secrets;
    this.tlsTrust = tlsTrust;
    this.store = store;
    this.restarter = restarter;
    this.policy = new RestartPolicy(settings);
    this.clock = clock;
    this.tickRounds = new TickRounds(settings, clock, sleeper);
  }

  /** The engine for a parsed configuration; an unreadable SSH key is reported as a config error. */
  public static WatchdogEngine create(TurnConfig config) {
    // Datastore keeps microseconds: tick at that grain so stored and in-memory instants agree.
    return create(config, Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000)));
  }

  /** As {@link #create(TurnConfig)}, deciding cooldowns, budgets and leases by {@code clock}. */
  public static WatchdogEngine create(TurnConfig config, Clock clock) {
    return create(config, clock, Sleeper.of(clock));
  }

  /**
   * As {@link #create(TurnConfig, Clock)}, waiting for a tick's later rounds with {@code sleeper}.
   */
  public static WatchdogEngine create(TurnConfig config, Clock clock, Sleeper sleeper) {
    WatchdogSettings s = config.settings();
    SshRestarter restarter;
    try {
      restarter =
          new SshRestarter(
              config.sshPrivateKey(),
              s.sshConnectTimeout(),
              s.sshCommandTimeout(),
              s.sshOutputLimit());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Settings.TURN_SSH_PRIVATE_KEY.name() + ": " + e.getMessage());
    }
    DatastoreTurnStore store =
        new DatastoreTurnStore(DatastoreClients.create(config.datastore()), TRANSACTION_RETRY);
    return new WatchdogEngine(
        config.targets(), s, config.secrets(), config.tlsTrust(), store, restarter, clock, sleeper);
  }

  /**
   * One round over every target. Never throws for a target's problems; see {@link
   * RoundReport#hasOwnFault()}.
   */
  public RoundReport runRound() throws InterruptedException {
    return runRound(UUID.randomUUID().toString());
  }

  /**
   * The rounds of one minute, {@code TURN_ROUNDS_PER_MINUTE} of them evenly spaced from now: what a
   * POST without a scheduler tick runs.
   */
  public List<RoundReport> runRounds() throws InterruptedException {
    return tickRounds.run(clock.instant(), UUID.randomUUID().toString(), this::runRound);
  }

  /**
   * One delivery of a scheduler tick: only the first delivery of {@code (job, scheduleTime)} runs
   * the tick's rounds (see {@link TickRounds}); a later one gets the first one's report, or nothing
   * while those rounds still run. The round ids derive from the tick, so every delivery names the
   * same rounds. The claim lasts the tick's longest run; a round that failed itself releases it, so
   * the scheduler's retry runs again.
   *
   * @param render the report kept for the tick's later deliveries
   */
  public TickRun runTick(
      String job, Instant scheduleTime, Function<List<RoundReport>, String> render)
      throws InterruptedException {
    String tickId =
        "tick-"
            + UUID.nameUUIDFromBytes((job + "@" + scheduleTime).getBytes(StandardCharsets.UTF_8));
    Duration lease = settings.tickDuration().plusSeconds(30);
    TickClaim claim = store.claimTick(job, scheduleTime, tickId, clock.instant(), lease);
    if (claim.kind() != TickClaim.Kind.RUN) {
      return new TickRun(claim, List.of(), claim.report());
    }
    List<RoundReport> rounds = tickRounds.run(scheduleTime, claim.roundId(), this::runRound);
    if (rounds.get(rounds.size() - 1).hasOwnFault()) {
      store.releaseTick(job, scheduleTime);
      return new TickRun(claim, rounds, Optional.empty());
    }
    String report = render.apply(rounds);
    store.recordTick(job, scheduleTime, report);
    return new TickRun(claim, rounds, Optional.of(report));
  }

  /** One round with the given id (a tick's slot's, from {@link #runTick}). */
  public RoundReport runRound(String roundId) throws InterruptedException {
    Instant started = clock.instant();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(targets.size(), 32),
            r -> {
              Thread t = new Thread(r, "turn-watchdog-" + roundId.substring(0, 8));
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<TargetReport>> futures = new ArrayList<>();
      for (TurnTarget target : targets) {
        futures.add(pool.submit(() -> check(target, roundId)));
      }
      long deadline = System.nanoTime() + settings.targetTimeout().toNanos();
      List<TargetReport> reports = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        reports.add(await(futures.get(i), targets.get(i), deadline));
      }
      record(reports);
      return new RoundReport(roundId, started, reports);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Counts the round and puts each target's status and probe round-trip time (the slowest probe
   * that answered; -1 when none did) into the metrics registry.
   */
  private static void record(List<TargetReport> reports) {
    Metrics metrics = Metrics.global();
    metrics.count(Event.WATCHDOG_ROUNDS);
    for (TargetReport r : reports) {
      String status =
          r.state()
              .map(s -> s.status().name())
              .orElse(r.error().isPresent() ? "WATCHDOG_ERROR" : TargetStatus.UNKNOWN.name());
      long probeMillis =
          r.probes().stream()
              .filter(ProbeResult::alive)
              .mapToLong(p -> p.elapsed().toMillis())
              .max()
              .orElse(-1);
      metrics.target(r.target(), status, probeMillis);
    }
  }

  /** Every target's stored state with its recent incidents. */
  public List<TargetView> status() {
    List<TargetView> views = new ArrayList<>();
    for (TargetState state : store.states(targets.stream().map(TurnTarget::name).toList())) {
      List<String> warnings =
          CertificateWarning.of(
                  state.certificateExpiresAt(), clock.instant(), settings.certificateWarning())
              .stream()
              .toList();
      views.add(
          new TargetView(
              state, store.recentIncidents(state, settings.incidentHistory()), warnings));
    }
    return views;
  }

  private TargetReport await(Future<TargetReport> future, TurnTarget target, long deadlineNanos)
      throws InterruptedException {
    try {
      return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      LOG.warning(
          () -> "target " + target.name() + " did not finish within " + settings.targetTimeout());
      return new TargetReport(
          target.name(),
          List.of(),
          Action.TIMED_OUT,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of());
    } catch (ExecutionException e) {
      LOG.log(Level.SEVERE, "watchdog failed on target " + target.name(), e.getCause());
      return new TargetReport(
          target.name(),
          List.of(),
          Action.NONE,
          Optional.empty(),
          Optional.empty(),
          Optional.of(String.valueOf(e.getCause())),
          List.of());
    }
  }

  private TargetReport check(TurnTarget target, String roundId) throws InterruptedException {
    TargetProbes probes = new TargetProbes(target, settings, secrets, tlsTrust, clock);
    List<ProbeResult> results =
        probes.run(
            new AttemptPolicy(
                settings.probeAttempts(), settings.probeSpacing(), settings.probeTimeout()));
    Verdict verdict = probes.verdict(results);
    List<String> warnings = warnings(target, verdict);
    Observation o =
        store.observe(
            target.name(), state -> policy.observe(state, verdict, clock.instant(), roundId));
    if (o.action() == Action.GIVEN_UP) {
      // Once per episode: flapping while the budget stays spent adds no incident and no line.
      LOG.severe(
          () ->
              "TURN target "
                  + target.name()
                  + " GIVEN_UP: "
                  + o.incident().orElseThrow().detail()
                  + ". Last probes: "
                  + verdict.summary());
    }
    if (o.action() == Action.ALERTED) {
      // The status word after the name is what the log-based alert matches.
      LOG.severe(
          () ->
              "TURN target "
                  + target.name()
                  + " "
                  + o.after().status()
                  + ": "
                  + verdict.diagnosis()
                  + (verdict.diagnosis() == Diagnosis.RELAY_LOST
                      ? ", which a restart in this outage did not cure"
                      : ", which a restart does not cure")
                  + "; not restarting (incident "
                  + o.incident().orElseThrow().number()
                  + "): "
                  + verdict.summary());
    }
    if (o.action() != Action.RESTARTED) {
      return new TargetReport(
          target.name(),
          results,
          o.action(),
          Optional.of(o.after()),
          o.incident(),
          Optional.empty(),
          warnings);
    }
    Incident opened = o.incident().orElseThrow();
    LOG.warning(
        () ->
            "TURN target "
                + target.name()
                + " "
                + verdict.diagnosis()
                + " for "
                + o.after().consecutiveDown()
                + " rounds; restarting over SSH (incident "
                + opened.number()
                + "): "
                + verdict.summary());
    RestartResult restart = restarter.restart(target.ssh());
    Instant recoveredAt = restart.succeeded() ? awaitRecovery(probes) : null;
    Incident concluded = opened.concluded(restart, recoveredAt);
    TargetState after =
        store.conclude(
            concluded,
            state ->
                policy.conclude(
                    state, roundId, restart.commandEnded(), recoveredAt, clock.instant()));
    LOG.log(
        recoveredAt != null ? Level.INFO : Level.WARNING,
        () ->
            "TURN target "
                + target.name()
                + " incident "
                + opened.number()
                + " "
                + concluded.outcome()
                + " (restart: "
                + restart
                + ")");
    return new TargetReport(
        target.name(),
        results,
        Action.RESTARTED,
        Optional.of(after),
        Optional.of(concluded),
        Optional.empty(),
        warnings);
  }

  /**
   * A certificate within {@code TURN_CERT_WARN_DAYS} of its expiry (or past it): logged at WARNING
   * every round it is seen, with a fixed word the log-based alert matches.
   */
  private List<String> warnings(TurnTarget target, Verdict verdict) {
    Optional<String> warning =
        CertificateWarning.of(
            verdict.certificateExpiry(), clock.instant(), settings.certificateWarning());
    warning.ifPresent(
        w -> LOG.warning(() -> "TURN target " + target.name() + " CERTIFICATE_EXPIRING: " + w));
    return warning.stream().toList();
  }

  /**
   * Re-probes (one try per probe each time) until all are alive or the recovery timeout; null when
   * never.
   */
  private Instant awaitRecovery(TargetProbes probes) throws InterruptedException {
    long deadline = System.nanoTime() + settings.recoveryTimeout().toNanos();
    AttemptPolicy once = new AttemptPolicy(1, Duration.ZERO, settings.probeTimeout());
    while (true) {
      if (TargetProbes.allAlive(probes.run(once))) {
        return clock.instant();
      }
      if (System.nanoTime() + settings.recoveryInterval().toNanos() > deadline) {
        return null;
      }
      Thread.sleep(settings.recoveryInterval().toMillis());
    }
  }
}
