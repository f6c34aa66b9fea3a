package dev.hotpath.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.hotpath.shared.config.ConfigException;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.turn.config.TurnConfig;
import dev.hotpath.shared.turn.watchdog.RoundReport;
import dev.hotpath.shared.turn.watchdog.TargetReport;
import dev.hotpath.shared.turn.watchdog.WatchdogEngine;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The TURN watchdog, triggered by Cloud Scheduler.
 *
 * <pre>
 * POST /   runs one round over every target → 200 {"round","startedAt","targets":[…]}
 *          (500 only when the watchdog itself failed, so the scheduler retries)
 * GET  /   every target's state and recent incidents → 200 {"targets":[…]}
 * </pre>
 *
 * An invalid configuration answers every request 500 with the message naming the setting.
 */
public final class TurnWatchdog implements HttpFunction {
  /** Every setting the constructor reads. */
  public static final List<Setting> SETTINGS = TurnConfig.SETTINGS;

  private static final Logger LOG = Logger.getLogger(TurnWatchdog.class.getName());
  private static final List<String> NO_PARAMETERS = List.of();

  private final WatchdogEngine engine;
  private final String configProblem;
  private final Router router;

  /** Entry point for the Functions Framework: configured from the environment. */
  public TurnWatchdog() {
    this(FunctionEnvironment.current());
  }

  public TurnWatchdog(Map<String, String> env) {
    WatchdogEngine built = null;
    String problem = null;
    try {
      built = WatchdogEngine.create(TurnConfig.fromEnv(env));
    } catch (ConfigException e) {
      problem = e.getMessage();
      LOG.severe("TURN watchdog configuration is invalid: " + problem);
    }
    this.engine = built;
    this.configProblem = problem;
    this.router = Router.builder().route("POST", "/", this::runRound).route("GET", "/", this::status).build();
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    router.serve(request, response);
  }

  private JsonReply runRound(HttpRequest request, Map<String, String> params) throws Exception {
    Router.refuseUnknownQuery(request, NO_PARAMETERS);
    refuseBody(request);
    RoundReport round = configured().runRound();
    if (round.hasOwnFault()) {
      List<String> failed = round.targets().stream().filter(t -> t.error().isPresent()).map(TargetReport::target).toList();
      throw new ApiException(HttpStatus.INTERNAL,
          "the watchdog could not record its round for " + failed + "; see the function's log");
    }
    return JsonReply.ok(TurnWatchdogJson.round(round));
  }

  private JsonReply status(HttpRequest request, Map<String, String> params) {
    Router.refuseUnknownQuery(request, NO_PARAMETERS);
    return JsonReply.ok(TurnWatchdogJson.status(configured().status()));
  }

  private WatchdogEngine configured() {
    if (engine == null) {
      throw new ApiException(HttpStatus.INTERNAL, "configuration invalid: " + configProblem);
    }
    return engine;
  }

  /** A round takes no input: no body, or an empty JSON object (what a scheduler may send). */
  private static void refuseBody(HttpRequest request) throws IOException {
    if (request.getContentType().isPresent()) {
      RequestBodies.allowOnly(RequestBodies.jsonObject(request), Set.of());
      return;
    }
    try (InputStream in = request.getInputStream()) {
      if (in.read() != -1) {
        throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send no body, or {} as application/json");
      }
    }
  }
}
