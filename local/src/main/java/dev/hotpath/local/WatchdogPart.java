package dev.hotpath.local;

import dev.hotpath.functions.TurnWatchdog;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The TURN piece of {@code up}: the TurnWatchdog function and a {@link LocalScheduler} that POSTs
 * to it on a cron schedule, as Cloud Scheduler does in production. It runs only when targets are
 * configured ({@code TURN_TARGETS}): a watchdog with nothing to watch would only log errors.
 */
final class WatchdogPart implements StackPart {
  private final int port;
  private final CronSchedule schedule;
  private FunctionPart function;
  private LocalScheduler scheduler;

  WatchdogPart(int port, CronSchedule schedule) {
    this.port = port;
    this.schedule = schedule;
  }

  @Override
  public void start(Map<String, String> env) throws Exception {
    if (!configured(env)) {
      return;
    }
    function = new FunctionPart("TURN watchdog", TurnWatchdog.class, port, WatchdogPart::examples);
    function.start(env);
    scheduler = LocalScheduler.start(URI.create(function.url() + "/"), schedule, Clock.systemDefaultZone());
  }

  static boolean configured(Map<String, String> env) {
    String targets = env.get("TURN_TARGETS");
    return targets != null && !targets.isBlank();
  }

  @Override
  public List<String> banner() {
    if (function == null) {
      return List.of(
          "TURN watchdog: off (give TURN_TARGETS and TURN_SSH_PRIVATE_KEY, or --turn-targets FILE"
              + " and --turn-ssh-key FILE, to watch TURN servers)");
    }
    List<String> lines = new ArrayList<>(function.banner());
    lines.add("  scheduler: POST every '" + schedule + "'");
    return lines;
  }

  static List<String> examples(String url) {
    return List.of("curl -X POST " + url + "/   # run a round now", "curl " + url + "/   # state and incidents");
  }

  @Override
  public void close() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    if (function != null) {
      function.close();
    }
  }
}
