package dev.hotpath.local.bench;

import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.turn.config.TurnConfig;
import dev.hotpath.shared.turn.watchdog.Action;
import dev.hotpath.shared.turn.watchdog.Incident;
import dev.hotpath.shared.turn.watchdog.IncidentOutcome;
import dev.hotpath.shared.turn.watchdog.RoundReport;
import dev.hotpath.shared.turn.watchdog.TargetReport;
import dev.hotpath.shared.turn.watchdog.WatchdogEngine;
import dev.hotpath.testsupport.Poll;
import dev.hotpath.testsupport.turn.LocalCoturn;
import dev.hotpath.testsupport.turn.LocalSshd;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code bench turn --on-schedule}: kill → healthy with rounds on the deployed schedule, one tick a
 * minute running {@code TURN_ROUNDS_PER_MINUTE} rounds through {@link WatchdogEngine#runTick} as
 * Cloud Scheduler drives it, the default down threshold (2), coturn killed at a random moment of
 * the minute. A compressed minute ({@link CompressedMinute}) shrinks only the waits for rounds; the
 * figures are given on the deployed 60 s minute by scaling those waits back and adding the real
 * time of probing, SSH restart and recovery.
 */
final class ScheduledRecovery {
  /** One kill, in the watchdog's time scaled to a 60 s minute, and as it ran. */
  record Cycle(Duration detection, Duration toHealthy, Duration toHealthyAsRun) {}

  private final LocalCoturn coturn;
  private final LocalSshd sshd;
  private final DatastoreEmulator emulator;
  private final int minuteSeconds;

  ScheduledRecovery(
      LocalCoturn coturn, LocalSshd sshd, DatastoreEmulator emulator, int minuteSeconds) {
    this.coturn = coturn;
    this.sshd = sshd;
    this.emulator = emulator;
    this.minuteSeconds = minuteSeconds;
  }

  /** The table over {@code cycles} kills for each rounds-per-minute setting. */
  ResultTable run(List<Integer> roundsPerMinute, int cycles) throws Exception {
    ResultTable table =
        new ResultTable(
            "rounds per minute",
            "cycles",
            "detection p50 s",
            "detection max s",
            "kill → healthy p50 s",
            "kill → healthy max s",
            "as run p50 s");
    for (int rate : roundsPerMinute) {
      List<Cycle> measured = cycles(rate, cycles);
      Percentiles detection = percentiles(measured, Cycle::detection);
      Percentiles healthy = percentiles(measured, Cycle::toHealthy);
      Percentiles asRun = percentiles(measured, Cycle::toHealthyAsRun);
      table.row(
          rate,
          cycles,
          seconds(detection.millis(50)),
          seconds(detection.millis(100)),
          seconds(healthy.millis(50)),
          seconds(healthy.millis(100)),
          seconds(asRun.millis(50)));
    }
    return table;
  }

  /** What the output says about the minute it used. */
  String minuteNote() {
    if (minuteSeconds == 60) {
      return "minute = 60 s (real minutes, as deployed)";
    }
    return String.format(
        "minute = %d s (compressed %.1f×): waits for rounds scaled back to a 60 s minute, probing,"
            + " SSH restart and recovery at their real duration; 'as run' is the compressed wall"
            + " clock",
        minuteSeconds, 60.0 / minuteSeconds);
  }

  private List<Cycle> cycles(int rate, int cycles) throws Exception {
    CompressedMinute time = new CompressedMinute(minuteSeconds);
    String name = "schedule-" + rate;
    Map<String, String> env =
        TurnBenchmark.watchdogEnv(
            coturn,
            sshd,
            emulator,
            name,
            Map.of(
                Settings.TURN_ROUNDS_PER_MINUTE.name(), String.valueOf(rate),
                Settings.TURN_DOWN_THRESHOLD.name(), Settings.TURN_DOWN_THRESHOLD.defaultValue()));
    WatchdogEngine engine = WatchdogEngine.create(TurnConfig.fromEnv(env), time, time);
    List<Cycle> measured = new ArrayList<>();
    try (Ticker ticker = new Ticker(engine, time, "bench/" + name)) {
      Instant recovered = time.instant();
      for (int c = 0; c < cycles; c++) {
        Instant since = recovered;
        await(ticker, "a healthy round", r -> r.startedAt().isAfter(since) && target(r).healthy());
        // The crash lands anywhere within the minute.
        Thread.sleep(ThreadLocalRandom.current().nextLong(minuteSeconds * 1000L));
        Instant killed = time.instant(); // the crash begins here; kill() returns once it is gone
        coturn.kill();
        RoundReport restart =
            await(
                ticker,
                "a restart that recovered",
                r -> r.startedAt().isAfter(killed) && recoveredBy(target(r)).isPresent());
        recovered = recoveredBy(target(restart)).orElseThrow();
        Instant detected = firstDownRound(ticker.rounds(), killed).startedAt();
        Cycle cycle =
            new Cycle(
                positive(Duration.between(killed, detected)),
                Duration.between(killed, restart.startedAt())
                    .plus(time.real(Duration.between(restart.startedAt(), recovered))),
                time.real(Duration.between(killed, recovered)));
        measured.add(cycle);
        System.out.printf(
            "%d rounds/min, cycle %d: detected after %.1f s, healthy after %.1f s (as run %.1f s)%n",
            rate,
            c + 1,
            cycle.detection().toMillis() / 1000.0,
            cycle.toHealthy().toMillis() / 1000.0,
            cycle.toHealthyAsRun().toMillis() / 1000.0);
      }
    }
    return measured;
  }

  /** The round that first saw the kill: after the last healthy one that started before it. */
  private static RoundReport firstDownRound(List<RoundReport> rounds, Instant killed) {
    List<RoundReport> sorted =
        rounds.stream().sorted(Comparator.comparing(RoundReport::startedAt)).toList();
    Instant lastHealthy = Instant.MIN;
    for (RoundReport r : sorted) {
      if (!r.startedAt().isAfter(killed) && target(r).healthy()) {
        lastHealthy = r.startedAt();
      }
    }
    for (RoundReport r : sorted) {
      if (r.startedAt().isAfter(lastHealthy) && !target(r).healthy()) {
        return r;
      }
    }
    throw new IllegalStateException("no round saw the kill at " + killed);
  }

  private static Optional<Instant> recoveredBy(TargetReport report) {
    return report.action() == Action.RESTARTED
        ? report
            .incident()
            .filter(i -> i.outcome() == IncidentOutcome.RECOVERED)
            .flatMap(Incident::recoveredAt)
        : Optional.empty();
  }

  private static TargetReport target(RoundReport round) {
    return round.targets().get(0);
  }

  private RoundReport await(Ticker ticker, String what, Predicate<RoundReport> wanted)
      throws InterruptedException {
    // A tick's rounds are seen when the tick ends: up to a minute, plus a restart's recovery.
    Duration bound = Duration.ofSeconds(3L * minuteSeconds + 120);
    List<RoundReport> found = new ArrayList<>();
    boolean seen =
        Poll.within(
            bound,
            () -> {
              ticker.rounds().stream().filter(wanted).findFirst().ifPresent(found::add);
              return !found.isEmpty();
            });
    if (!seen) {
      throw new IllegalStateException("no " + what + " within " + bound);
    }
    return found.get(0);
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Percentiles percentiles(List<Cycle> cycles, Function<Cycle, Duration> measure) {
    return new Percentiles(cycles.stream().mapToLong(c -> measure.apply(c).toNanos()).toArray());
  }

  private static String seconds(double millis) {
    return String.format("%.1f", millis / 1000);
  }

  /**
   * The stand-in for Cloud Scheduler: one {@link WatchdogEngine#runTick} per minute of the
   * watchdog's clock, each on its own thread as a scheduler's request would be, so a tick whose
   * restart runs long never delays the next. Rounds are collected as their ticks end.
   */
  private static final class Ticker implements AutoCloseable {
    private final List<RoundReport> rounds = new CopyOnWriteArrayList<>();
    private final ExecutorService requests = Executors.newCachedThreadPool(Ticker::daemon);
    private final Thread firing;

    Ticker(WatchdogEngine engine, CompressedMinute time, String job) {
      firing =
          daemon(
              () -> {
                try {
                  for (long k = 1; ; k++) {
                    Instant tick = time.minute(k);
                    time.sleepUntil(tick);
                    requests.submit(
                        () -> rounds.addAll(engine.runTick(job, tick, r -> "bench").rounds()));
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      firing.start();
    }

    List<RoundReport> rounds() {
      return rounds;
    }

    private static Thread daemon(Runnable r) {
      Thread t = new Thread(r, "bench-scheduler");
      t.setDaemon(true);
      return t;
    }

    @Override
    public void close() throws InterruptedException {
      firing.interrupt();
      firing.join();
      requests.shutdownNow();
      requests.awaitTermination(2, TimeUnit.MINUTES);
    }
  }
}
