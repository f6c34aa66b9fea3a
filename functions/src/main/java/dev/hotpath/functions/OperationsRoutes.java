package dev.hotpath.functions;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.functions.HttpRequest;
import com.google.gson.JsonObject;
import dev.hotpath.shared.config.OperationsConfig;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.json.JsonValues;
import dev.hotpath.shared.metrics.Unavailable;
import dev.hotpath.shared.operations.MutationParser;
import dev.hotpath.shared.operations.Operation;
import dev.hotpath.shared.operations.OperationIds;
import dev.hotpath.shared.operations.OperationPayload;
import dev.hotpath.shared.operations.OperationStore;
import dev.hotpath.shared.operations.OperationSubmitter;
import dev.hotpath.shared.operations.OperationSweeper;
import dev.hotpath.shared.operations.TaskEnqueuer;
import dev.hotpath.shared.retry.RetryPolicy;
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
   * Routes configured by {@code config}, enqueueing through a Cloud Tasks client for {@code env};
   * without a queue they answer 503 naming the missing setting.
   */
  public static OperationsRoutes create(
      WriteApiConfig config, Map<String, String> env, Datastore datastore, JsonValues values) {
    OperationsConfig operations = config.operations();
    MutationParser parser = OperationJson.parser(operations, values);
    if (!operations.enabled()) {
      return new OperationsRoutes(operations, parser, null, null);
    }
    RetryPolicy retry = config.commit().retry();
    Idempotent idempotent = new Idempotent(retry, config.sharding().minWriteInterval());
    try {
      TaskEnqueuer enqueuer = new TaskEnqueuer(CloudTasksClients.create(env), operations, retry);
      OperationStore store = new OperationStore(datastore, idempotent);
      return new OperationsRoutes(
          operations,
          parser,
          new OperationSubmitter(store, enqueuer, config.reenqueueAfter()),
          new OperationSweeper(store, enqueuer, config.reenqueueAfter(), Clock.systemUTC()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Cloud Tasks client", e);
    }
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
    return JsonReply.ok(OperationJson.of(operation));
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

  private void requireEnabled() {
    if (!config.enabled()) {
      throw new ApiException(
          HttpStatus.UNAVAILABLE,
          "deferred operations are not configured here (HOTPATH_OPERATIONS_QUEUE is empty)",
          Map.of(),
          Unavailable.OPERATIONS_NOT_CONFIGURED.label());
    }
  }
}
