package dev.hotpath.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotpath.functions.logging.CloudLogging;
import dev.hotpath.shared.config.MetricsConfig;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.turn.config.TurnConfig;
import dev.hotpath.shared.turn.watchdog.RoundReport;
import dev.hotpath.shared.turn.watchdog.TargetReport;
import dev.hotpath.shared.turn.watchdog.TickRun;
import dev.hotpath.shared.turn.watchdog.WatchdogEngine;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The TURN watchdog, triggered by Cloud Scheduler.
 *
 * <pre>
 * POST /   runs TURN_ROUNDS_PER_MINUTE rounds over every target, evenly spaced within the minute
 *          → 200 {"round","startedAt","targets":[…]} of the last round, with "rounds":[…] (each
 *          as that) when there were several (500 only when the watchdog itself failed, so the
 *          scheduler retries). With Cloud Scheduler's X-CloudScheduler-JobName and
 *          X-CloudScheduler-ScheduleTime, one run of rounds per tick, counted from the tick's
 *          time: a repeated delivery answers the first one's report and probes nothing (409
 *          while those rounds still run; 200 {"round":null,"skipped":…} for a tick older than the
 *          latest).
 * GET  /   every target's state and recent incidents → 200 {"targets":[…]}
 * </pre>
 *
 * An invalid configuration refuses to start: the constructor throws a {@link
 * dev.hotpath.shared.config.ConfigException} naming the setting, as the other functions do, so a
 * deployment with a bad {@code TURN_TARGETS} fails at once instead of answering 500 every minute.
 */
public final class TurnWatchdog implements HttpFunction {
  /** Every setting the constructor reads. */
  public static final List<Setting> SETTINGS =
      Settings.union(TurnConfig.SETTINGS, MetricsConfig.SETTINGS);

  private static final List<String> NO_PARAMETERS = List.of();

  /** Cloud Scheduler's headers: stable across the retries of one tick. */
  static final String JOB_HEADER = "X-CloudScheduler-JobName";

  static final String SCHEDULE_TIME_HEADER = "X-CloudScheduler-ScheduleTime";

  private final WatchdogEngine engine;
  private final Router router;

  /** Entry point for the Functions Framework: configured from the environment. */
  public TurnWatchdog() {
    this(FunctionEnvironment.current());
  }

  public TurnWatchdog(Map<String, String> env) {
    CloudLogging.install(env); // first, so that a configuration error is logged with it too
    // Next: its settings are read even when the rest of the configuration is refused.
    FunctionMetrics.configure(env);
    this.engine = WatchdogEngine.create(TurnConfig.fromEnv(env));
    this.router =
        Router.builder().route("POST", "/", this::runRound).route("GET", "/", this::status).build();
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    router.serve(request, response);
  }

  private JsonReply runRound(HttpRequest request, Map<String, String> params) throws Exception {
    Router.refuseUnknownQuery(request, NO_PARAMETERS);
    refuseBody(request);
    WatchdogEngine watchdog = engine;
    Optional<String> job = request.getFirstHeader(JOB_HEADER);
    Optional<String> scheduleTime = request.getFirstHeader(SCHEDULE_TIME_HEADER);
    if (job.isEmpty() || scheduleTime.isEmpty()) {
      return JsonReply.ok(rounds(watchdog.runRounds()));
    }
    Instant tick = parseScheduleTime(scheduleTime.get());
    TickRun run = watchdog.runTick(job.get(), tick, rounds -> rounds(rounds).toString());
    switch (run.claim().kind()) {
      case RUNNING:
        throw new ApiException(
            HttpStatus.CONFLICT,
            "the round of tick " + tick + " is still running; a retry later gets its report");
      case SUPERSEDED:
        JsonObject skipped = new JsonObject();
        skipped.add("round", JsonNull.INSTANCE);
        skipped.addProperty(
            "skipped", "a later tick of this job has run already; tick " + tick + " runs no round");
        return JsonReply.ok(skipped);
      default:
        // RUN or ANSWERED: this delivery's report, or the first delivery's.
        run.lastRound().ifPresent(TurnWatchdog::checked);
        return JsonReply.ok(JsonParser.parseString(run.report().orElseThrow()));
    }
  }

  /** A tick's rounds as one report; see {@link TurnWatchdogJson#rounds}. */
  private static JsonObject rounds(List<RoundReport> rounds) {
    rounds.forEach(TurnWatchdog::checked);
    return TurnWatchdogJson.rounds(rounds);
  }

  private static RoundReport checked(RoundReport round) {
    if (round.hasOwnFault()) {
      List<String> failed =
          round.targets().stream()
              .filter(t -> t.error().isPresent())
              .map(TargetReport::target)
              .toList();
      throw new ApiException(
          HttpStatus.INTERNAL,
          "the watchdog could not record its round for " + failed + "; see the function's log",
          Map.of(),
          "round_not_recorded");
    }
    return round;
  }

  private static Instant parseScheduleTime(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, SCHEDULE_TIME_HEADER + ": not an RFC 3339 time: " + value);
    }
  }

  private JsonReply status(HttpRequest request, Map<String, String> params) {
    Router.refuseUnknownQuery(request, NO_PARAMETERS);
    return JsonReply.ok(TurnWatchdogJson.status(engine.status()));
  }

  /** A round takes no input: no body, or an empty JSON object (what a scheduler may send). */
  private static void refuseBody(HttpRequest request) throws IOException {
    if (request.getContentType().isPresent()) {
      RequestBodies.allowOnly(RequestBodies.jsonObject(request), Set.of());
      return;
    }
    try (InputStream in = request.getInputStream()) {
      if (in.read() != -1) {
        throw new ApiException(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send no body, or {} as application/json");
      }
    }
  }
}
