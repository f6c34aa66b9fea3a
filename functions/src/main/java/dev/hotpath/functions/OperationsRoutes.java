package dev.hotpath.functions;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.functions.HttpRequest;
import com.google.gson.JsonObject;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.json.JsonValues;
import dev.hotpath.shared.json.Rfc3339;
import dev.hotpath.shared.operations.MutationParser;
import dev.hotpath.shared.operations.Operation;
import dev.hotpath.shared.operations.OperationIds;
import dev.hotpath.shared.operations.OperationPayload;
import dev.hotpath.shared.operations.OperationStore;
import dev.hotpath.shared.operations.OperationSubmitter;
import dev.hotpath.shared.operations.OperationSweeper;
import dev.hotpath.shared.operations.OperationsConfig;
import dev.hotpath.shared.operations.TaskEnqueuer;
import dev.hotpath.shared.tasks.CloudTasksClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Write API's deferred operations:
 *
 * <pre>
 * POST /v1/operations        {"mutations":[…]}  [Idempotency-Key: k]  → 202 {"id","state"} + Location
 * GET  /v1/operations/{id}                                           → 200 {"id","state","error","createdAt","doneAt","attempts"}
 * POST /v1/operations:sweep  (Cloud Scheduler, every minute)          → 200 {"stranded","enqueued","failed"}
 * </pre>
 *
 * Everything is validated before anything is recorded; {@link OperationSubmitter} explains why no
 * operation is left recorded without a task or the other way round.
 */
public final class OperationsRoutes {
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final OperationsConfig config;
  private final MutationParser parser;
  private final OperationSubmitter submitter;
  private final OperationSweeper sweeper;

  private OperationsRoutes(
      OperationsConfig config,
      MutationParser parser,
      OperationSubmitter submitter,
      OperationSweeper sweeper) {
    this.config = config;
    this.parser = parser;
    this.submitter = submitter;
    this.sweeper = sweeper;
  }

  /**
   * Routes configured from {@code env}; without a queue they answer 503 naming the missing setting.
   */
  public static OperationsRoutes create(Map<String, String> env, Datastore datastore) {
    OperationsConfig config = OperationsConfig.fromEnv(env);
    MutationParser parser = parser(config, datastore);
    if (!config.enabled()) {
      return new OperationsRoutes(config, parser, null, null);
    }
    Idempotent idempotent =
        new Idempotent(
            config.writeApi().commit().retry(), config.writeApi().sharding().minWriteInterval());
    try {
      TaskEnqueuer enqueuer = new TaskEnqueuer(CloudTasksClients.create(env), config);
      OperationStore store = new OperationStore(datastore, idempotent);
      return new OperationsRoutes(
          config,
          parser,
          new OperationSubmitter(store, enqueuer, config.reenqueueAfter()),
          new OperationSweeper(store, enqueuer, config.reenqueueAfter(), Clock.systemUTC()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Cloud Tasks client", e);
    }
  }

  static MutationParser parser(OperationsConfig config, Datastore datastore) {
    return new MutationParser(
        config.allowedKinds(),
        new JsonValues(
            datastore.getOptions().getProjectId(), datastore.getOptions().getDatabaseId()));
  }

  /** Adds the two routes to {@code routes} and returns it. */
  public Router.Builder register(Router.Builder routes) {
    return routes
        .route("POST", "/v1/operations", this::submit)
        .route("GET", "/v1/operations/{id}", this::get)
        .route("POST", "/v1/operations:sweep", this::sweep);
  }

  private JsonReply submit(HttpRequest request, Map<String, String> params) throws IOException {
    Router.refuseUnknownQuery(request, List.of());
    requireEnabled();
    Optional<String> key = idempotencyKey(request);
    String id =
        key.isPresent() ? OperationIds.fromIdempotencyKey(key.get()) : OperationIds.random();
    JsonObject body = RequestBodies.jsonObject(request);
    parser.parseBody(body);
    OperationPayload payload = OperationPayload.of(body.getAsJsonArray("mutations"));
    Operation operation;
    try {
      operation = submitter.submit(id, payload);
    } catch (OperationSubmitter.IdempotencyConflict e) {
      throw new ApiException(HttpStatus.CONFLICT, e.getMessage());
    }
    JsonObject reply = new JsonObject();
    reply.addProperty("id", operation.id());
    reply.addProperty("state", operation.state().name());
    return new JsonReply(202, reply, Map.of("Location", "/v1/operations/" + operation.id()));
  }

  /**
   * The one {@code Idempotency-Key}; two are refused, as no single operation id could honour both.
   */
  private static Optional<String> idempotencyKey(HttpRequest request) {
    List<String> given = request.getHeaders().getOrDefault(IDEMPOTENCY_KEY, List.of());
    if (given.size() > 1) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "the " + IDEMPOTENCY_KEY + " header is given " + given.size() + " times; send it once");
    }
    return given.stream().findFirst();
  }

  private JsonReply get(HttpRequest request, Map<String, String> params) {
    Router.refuseUnknownQuery(request, List.of());
    requireEnabled();
    String id = OperationIds.check(params.get("id"));
    Operation operation =
        submitter
            .get(id)
            .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "no operation " + id));
    return JsonReply.ok(json(operation));
  }

  private JsonReply sweep(HttpRequest request, Map<String, String> params) {
    Router.refuseUnknownQuery(request, List.of());
    requireEnabled();
    OperationSweeper.Result result = sweeper.sweep();
    JsonObject reply = new JsonObject();
    reply.addProperty("stranded", result.stranded());
    reply.addProperty("enqueued", result.enqueued());
    reply.addProperty("failed", result.failed());
    return JsonReply.ok(reply);
  }

  /** {@code {"id","state","error","createdAt","doneAt","attempts"}}, absent values as null. */
  static JsonObject json(Operation operation) {
    JsonObject json = new JsonObject();
    json.addProperty("id", operation.id());
    json.addProperty("state", operation.state().name());
    json.addProperty("error", operation.error().orElse(null));
    json.addProperty("createdAt", Rfc3339.format(operation.createdAt()));
    json.addProperty("doneAt", operation.doneAt().map(Rfc3339::format).orElse(null));
    json.addProperty("attempts", operation.attempts());
    return json;
  }

  private void requireEnabled() {
    if (!config.enabled()) {
      throw new ApiException(
          HttpStatus.UNAVAILABLE,
          "deferred operations are not configured here (HOTPATH_OPERATIONS_QUEUE is empty)");
    }
  }
}
