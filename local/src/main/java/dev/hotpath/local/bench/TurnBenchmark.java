package dev.hotpath.local.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.flags.UsageException;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.turn.config.TurnConfig;
import dev.hotpath.shared.turn.config.WatchdogSettings;
import dev.hotpath.shared.turn.probe.Probe;
import dev.hotpath.shared.turn.probe.ProbeAnswer;
import dev.hotpath.shared.turn.probe.ProbeFailure;
import dev.hotpath.shared.turn.probe.StunTcpProbe;
import dev.hotpath.shared.turn.probe.StunTlsProbe;
import dev.hotpath.shared.turn.probe.StunUdpProbe;
import dev.hotpath.shared.turn.probe.TcpProbe;
import dev.hotpath.shared.turn.probe.TlsTrust;
import dev.hotpath.shared.turn.probe.TurnCredentials;
import dev.hotpath.shared.turn.probe.TurnRelayProbe;
import dev.hotpath.shared.turn.probe.TurnUdpProbe;
import dev.hotpath.shared.turn.probe.UdpRetransmission;
import dev.hotpath.shared.turn.watchdog.Action;
import dev.hotpath.shared.turn.watchdog.IncidentOutcome;
import dev.hotpath.shared.turn.watchdog.TargetReport;
import dev.hotpath.shared.turn.watchdog.WatchdogEngine;
import dev.hotpath.testsupport.ScratchDir;
import dev.hotpath.testsupport.turn.LocalCoturn;
import dev.hotpath.testsupport.turn.LocalSshd;
import dev.hotpath.testsupport.turn.LocalTlsCertificate;
import dev.hotpath.testsupport.turn.LoopbackTarget;
import dev.hotpath.testsupport.turn.SystemBinaries;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code bench turn}: against a real coturn on loopback, the latency of each probe, then the time
 * from killing coturn to seeing it healthy again when the watchdog runs rounds every short interval
 * and restarts it through a real sshd. Needs coturn and openssh-server installed.
 */
public final class TurnBenchmark implements Benchmark {
  private static final Set<String> VALUED =
      Set.of("samples", "cycles", "interval-ms", "minute-s", "rounds-per-minute");
  private static final Set<String> SWITCHES = Set.of("on-schedule");
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  @Override
  public String name() {
    return "turn";
  }

  @Override
  public String summary() {
    return "local coturn + sshd: probe latency p50/p99, kill-to-healthy time over restart cycles";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar bench turn [FLAGS]

        Starts coturn and sshd on loopback (needs: apt-get install coturn openssh-server) and the
        Datastore emulator in-process. coturn runs with a TURN REST secret and a generated TLS
        certificate. Measures each probe (tcp, stun-udp, stun-tcp, turn-udp, turn-relay with the
        round trip through the relay, stun-tls), then kills coturn repeatedly and times how long the watchdog, running a round every
        interval with threshold 1, takes to restart it over SSH and see it healthy.

          --samples N       probe attempts measured per probe (default 200)
          --cycles N        kill-and-heal cycles (default 10)
          --interval-ms N   pause between watchdog rounds, as the scheduler's period (default 1000)

        With --on-schedule it measures instead what a deployment sees: rounds come as Cloud
        Scheduler brings them, one tick a minute running TURN_ROUNDS_PER_MINUTE rounds, with the
        default down threshold (2); coturn is killed at a random moment of the minute, and each
        setting reports detection and kill → healthy (p50, max) on a 60 s minute.

          --rounds-per-minute LIST  settings to measure (default 1,2,6)
          --minute-s N              length of the watchdog's minute in real seconds (default 60:
                                    real minutes, 10+ minutes per setting; e.g. 6 for a quick run,
                                    whose waits are scaled back to 60 s in the table)
        """;
  }

  @Override
  public int run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, VALUED, SWITCHES);
    int samples = flags.positive("samples", 200);
    int cycles = flags.positive("cycles", 10);
    int intervalMs = flags.positive("interval-ms", 1000);
    int minuteSeconds = flags.positive("minute-s", 60);
    List<Integer> rates = roundsPerMinute(flags.string("rounds-per-minute", "1,2,6"));
    List<String> missing = SystemBinaries.missingForTurnTests();
    if (!missing.isEmpty()) {
      System.err.println(
          "bench turn needs " + String.join(", ", missing) + ": " + SystemBinaries.INSTALL_HINT);
      return 1;
    }
    // The throwaway CA and SSH keys go with the directory, on Ctrl+C too.
    try (ScratchDir scratch = ScratchDir.create("hotpath-bench-turn")) {
      Path dir = scratch.path();
      String secret = UUID.randomUUID().toString();
      LocalTlsCertificate certificate =
          LocalTlsCertificate.generate(dir.resolve("tls"), "turn.hotpath.test", 1, 90);
      LocalCoturn.Options options =
          LocalCoturn.Options.DEFAULT.withRestSecret(secret).withTls(certificate);
      try (LocalCoturn coturn = LocalCoturn.start(dir.resolve("coturn"), options);
          LocalSshd sshd = LocalSshd.start(dir.resolve("sshd"));
          DatastoreEmulator emulator = DatastoreEmulator.builder().port(0).build().start()) {
        if (flags.has("on-schedule")) {
          ScheduledRecovery schedule = new ScheduledRecovery(coturn, sshd, emulator, minuteSeconds);
          System.out.println(schedule.minuteNote());
          ResultTable table = schedule.run(rates, cycles);
          System.out.println(schedule.minuteNote());
          System.out.println(table);
          return 0;
        }
        System.out.println(probeLatencies(coturn, samples));
        System.out.println(killToHealthy(coturn, sshd, emulator, cycles, intervalMs));
      }
    }
    return 0;
  }

  private static ResultTable probeLatencies(LocalCoturn coturn, int samples) throws Exception {
    UdpRetransmission schedule = UdpRetransmission.RFC_5389;
    int port = coturn.port();
    String secret = coturn.options().restSecret();
    LocalTlsCertificate tls = coturn.options().tls();
    List<Probe> probes =
        List.of(
            new TcpProbe("127.0.0.1", port),
            new StunUdpProbe("127.0.0.1", port, schedule),
            new StunTcpProbe("127.0.0.1", port),
            new TurnUdpProbe("127.0.0.1", port, schedule),
            new TurnRelayProbe(
                "127.0.0.1",
                port,
                schedule,
                () -> TurnCredentials.rest(secret, "bench", Instant.now().plusSeconds(600))),
            new StunTlsProbe(
                "127.0.0.1", coturn.tlsPort(), tls.serverName(), TlsTrust.pem(tls.caPem())));
    ResultTable table = new ResultTable("probe", "samples", "failures", "p50 ms", "p99 ms");
    for (Probe probe : probes) {
      System.out.println("probing " + probe.kind().configName() + " " + samples + " times…");
      long[] nanos = new long[samples];
      List<Long> relayNanos = new ArrayList<>();
      int failures = 0;
      for (int i = 0; i < samples; i++) {
        long start = System.nanoTime();
        try {
          ProbeAnswer answer = probe.attempt(PROBE_TIMEOUT);
          answer.facts().relayRoundTrip().ifPresent(rtt -> relayNanos.add(rtt.toNanos()));
        } catch (ProbeFailure e) {
          if (failures++ == 0) {
            System.out.println(
                "  first failure of " + probe.kind().configName() + ": " + e.getMessage());
          }
        }
        nanos[i] = System.nanoTime() - start;
      }
      Percentiles p = new Percentiles(nanos);
      table.row(
          probe.kind().configName(), samples, failures, format(p.millis(50)), format(p.millis(99)));
      if (!relayNanos.isEmpty()) {
        Percentiles rtt = new Percentiles(relayNanos.stream().mapToLong(Long::longValue).toArray());
        table.row(
            "  relay round trip (in turn-relay)",
            relayNanos.size(),
            0,
            format(rtt.millis(50)),
            format(rtt.millis(99)));
      }
    }
    return table;
  }

  private static ResultTable killToHealthy(
      LocalCoturn coturn, LocalSshd sshd, DatastoreEmulator emulator, int cycles, int intervalMs)
      throws Exception {
    WatchdogEngine engine =
        WatchdogEngine.create(
            TurnConfig.fromEnv(watchdogEnv(coturn, sshd, emulator, "bench-coturn", Map.of())));
    long[] healed = new long[cycles];
    long[] downtime = new long[cycles];
    int rounds = 0;
    for (int c = 0; c < cycles; c++) {
      coturn.kill();
      long killed = System.nanoTime();
      // The crash lands anywhere within the scheduler's period.
      Thread.sleep(ThreadLocalRandom.current().nextInt(intervalMs));
      while (true) {
        rounds++;
        TargetReport report = engine.runRound().targets().get(0);
        if (report.action() == Action.RESTARTED
            && report.incident().orElseThrow().outcome() == IncidentOutcome.RECOVERED) {
          healed[c] = System.nanoTime() - killed;
          downtime[c] = report.incident().orElseThrow().downtime().orElseThrow().toNanos();
          System.out.printf("cycle %d: healthy %.0f ms after the kill%n", c + 1, healed[c] / 1e6);
          break;
        }
        if (System.nanoTime() - killed > Duration.ofMinutes(2).toNanos()) {
          throw new IllegalStateException(
              "cycle " + (c + 1) + ": coturn not healed within 2 minutes (" + report + ")");
        }
        Thread.sleep(intervalMs);
      }
    }
    Percentiles toHealthy = new Percentiles(healed);
    Percentiles recorded = new Percentiles(downtime);
    ResultTable table =
        new ResultTable(
            "measure ("
                + cycles
                + " cycles, round every "
                + intervalMs
                + " ms, "
                + rounds
                + " rounds)",
            "p50 ms",
            "p99 ms",
            "max ms");
    table.row(
        "kill → healthy (wall clock)",
        format(toHealthy.millis(50)),
        format(toHealthy.millis(99)),
        format(toHealthy.millis(100)));
    table.row(
        "recorded downtime (detected → recovered)",
        format(recorded.millis(50)),
        format(recorded.millis(99)),
        format(recorded.millis(100)));
    return table;
  }

  /**
   * The benchmark's watchdog: one target {@code name} for the local coturn, restarted through the
   * local sshd; threshold 1, no cooldown or budget, short probe tries; {@code overrides} win.
   */
  static Map<String, String> watchdogEnv(
      LocalCoturn coturn,
      LocalSshd sshd,
      DatastoreEmulator emulator,
      String name,
      Map<String, String> overrides)
      throws Exception {
    JsonObject target = LoopbackTarget.json(name, coturn, sshd, List.of("stun-udp", "stun-tcp"));
    JsonArray targets = new JsonArray();
    targets.add(target);
    Map<String, String> env =
        new HashMap<>(
            Map.ofEntries(
                Map.entry(Settings.TURN_TARGETS.name(), targets.toString()),
                Map.entry(Settings.TURN_SSH_PRIVATE_KEY.name(), sshd.clientKey().privateKeyText()),
                Map.entry(Settings.TURN_REST_SECRET.name(), coturn.options().restSecret()),
                Map.entry(Settings.TURN_DOWN_THRESHOLD.name(), "1"),
                Map.entry(Settings.TURN_COOLDOWN_SECONDS.name(), "0"),
                Map.entry(Settings.TURN_RESTART_BUDGET_PER_HOUR.name(), "1000"),
                Map.entry(Settings.TURN_PROBE_ATTEMPTS.name(), "2"),
                Map.entry(Settings.TURN_PROBE_SPACING_MS.name(), "100"),
                Map.entry(Settings.TURN_PROBE_TIMEOUT_MS.name(), "500"),
                Map.entry(Settings.TURN_UDP_RTO_MS.name(), "100"),
                Map.entry(Settings.TURN_RECOVERY_TIMEOUT_SECONDS.name(), "30"),
                Map.entry(Settings.TURN_RECOVERY_INTERVAL_MS.name(), "100"),
                Map.entry(Settings.EMULATOR_HOST.name(), emulator.host()),
                Map.entry(Settings.PROJECT.name(), "bench")));
    env.putAll(overrides);
    return env;
  }

  private static List<Integer> roundsPerMinute(String list) throws UsageException {
    List<Integer> rates = new ArrayList<>();
    for (String item : list.split(",")) {
      try {
        int rate = Integer.parseInt(item.trim());
        if (rate >= 1 && rate <= WatchdogSettings.MAX_ROUNDS_PER_MINUTE) {
          rates.add(rate);
          continue;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageException(
          "--rounds-per-minute must list numbers from 1 to "
              + WatchdogSettings.MAX_ROUNDS_PER_MINUTE
              + ", got '"
              + list
              + "'");
    }
    return rates;
  }

  private static String format(double millis) {
    return String.format("%.2f", millis);
  }
}
