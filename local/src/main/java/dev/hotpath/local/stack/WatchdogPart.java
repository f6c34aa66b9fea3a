package dev.hotpath.local.stack;

import dev.hotpath.functions.TurnWatchdog;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.turn.config.WatchdogSettings;
import dev.hotpath.testsupport.turn.SystemBinaries;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TURN piece of {@code up}: the TurnWatchdog function and a {@link LocalScheduler} that POSTs
 * to it on a cron schedule, as Cloud Scheduler does in production. It runs only when targets are
 * configured ({@code TURN_TARGETS}): a watchdog with nothing to watch would only log errors; with
 * {@code --turn-demo} it watches a {@link TurnDemo} server it starts itself.
 */
public final class WatchdogPart implements StackPart {
  private final int port;
  private final CronSchedule schedule;
  private final boolean demo;
  private TurnDemo turnDemo;
  private String demoProblem;
  private FunctionPart function;
  private LocalScheduler scheduler;
  private int roundsPerMinute;

  /**
   * @param demo watch a {@link TurnDemo} server instead of the configured targets
   */
  public WatchdogPart(int port, CronSchedule schedule, boolean demo) {
    this.port = port;
    this.schedule = schedule;
    this.demo = demo;
  }

  @Override
  public void start(Map<String, String> env) throws Exception {
    Map<String, String> watchdogEnv = env;
    if (demo) {
      if (!TurnDemo.missing().isEmpty()) {
        demoProblem =
            "TURN demo: off, needs "
                + String.join(", ", TurnDemo.missing())
                + " ("
                + SystemBinaries.INSTALL_HINT
                + ")";
        return;
      }
      turnDemo = TurnDemo.start();
      watchdogEnv = turnDemo.env(env);
    }
    if (!configured(watchdogEnv)) {
      return;
    }
    function =
        new FunctionPart(
            "TURN watchdog",
            TurnWatchdog.class,
            InetAddress.getLoopbackAddress(),
            port,
            WatchdogPart::examples);
    function.start(watchdogEnv);
    // The function has accepted these settings, so reading them here cannot fail.
    roundsPerMinute = WatchdogSettings.fromEnv(watchdogEnv).roundsPerMinute();
    scheduler =
        LocalScheduler.start(URI.create(function.url() + "/"), schedule, Clock.systemDefaultZone());
  }

  /** The watchdog's base URL while it runs; empty when it is off. */
  public Optional<String> url() {
    return function == null ? Optional.empty() : Optional.of(function.url());
  }

  public static boolean configured(Map<String, String> env) {
    String targets = env.get(Settings.TURN_TARGETS.name());
    return targets != null && !targets.isBlank();
  }

  @Override
  public List<String> banner() {
    if (demoProblem != null) {
      return List.of(demoProblem);
    }
    if (function == null) {
      return List.of(
          "TURN watchdog: off (give "
              + Settings.TURN_TARGETS.name()
              + " and "
              + Settings.TURN_SSH_PRIVATE_KEY.name()
              + ", or --turn-targets FILE"
              + " and --turn-ssh-key FILE, to watch TURN servers)");
    }
    List<String> lines = new ArrayList<>(function.banner());
    lines.add("  scheduler: POST every '" + schedule + "', " + rounds());
    if (turnDemo != null) {
      lines.addAll(turnDemo.banner(function.url()));
    }
    return lines;
  }

  /** What one POST runs: with several rounds per minute it lasts about a minute. */
  private String rounds() {
    if (roundsPerMinute == 1) {
      return "1 round each (" + Settings.TURN_ROUNDS_PER_MINUTE.name() + "=1)";
    }
    return roundsPerMinute
        + " rounds each, "
        + 60 / roundsPerMinute
        + " s apart ("
        + Settings.TURN_ROUNDS_PER_MINUTE.name()
        + "; a POST then takes about a minute)";
  }

  static List<String> examples(String url) {
    return List.of(
        "curl -X POST " + url + "/   # run a round now",
        "curl " + url + "/   # state and incidents");
  }

  @Override
  public void close() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    if (function != null) {
      function.close();
    }
    if (turnDemo != null) {
      turnDemo.close();
    }
  }
}
