package dev.hotpath.functions;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hotpath.functions.logging.CloudLogging;
import dev.hotpath.shared.config.ConfigException;
import dev.hotpath.shared.config.MetricsConfig;
import dev.hotpath.shared.config.OperationsConfig;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.config.WorkerConfig;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.json.JsonValues;
import dev.hotpath.shared.operations.OidcVerifier;
import dev.hotpath.shared.operations.OperationApplier;
import dev.hotpath.shared.operations.OperationIds;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The task-triggered function of deferred operations: Cloud Tasks POSTs {@code {"id": …}} and this
 * applies the operation through {@link OperationApplier}, exactly once however often the task is
 * delivered.
 *
 * <ul>
 *   <li>200: applied now, finished before (a redelivery: nothing touched), failed permanently
 *       (recorded FAILED with the reason), or unknown — in every case the queue must stop.
 *   <li>503 + Retry-After: contention or Datastore trouble outlasted the in-process retry budget;
 *       the queue retries with its backoff.
 *   <li>403: not from the configured queue ({@code X-CloudTasks-QueueName}); 401: no valid OIDC
 *       token where one is required. Anyone can set the queue header on a public URL; the token is
 *       what proves the request came from Cloud Tasks.
 * </ul>
 */
public final class DeferredUpdateWorker implements HttpFunction {
  /** Every setting the constructor reads. */
  public static final List<Setting> SETTINGS =
      Settings.union(WorkerConfig.SETTINGS, MetricsConfig.SETTINGS);

  private static final Logger LOG = Logger.getLogger(DeferredUpdateWorker.class.getName());

  private final OperationsConfig config;
  private final OperationApplier applier;
  private final Optional<OidcVerifier> oidc;

  /** Entry point for the Functions Framework: configured from the environment. */
  public DeferredUpdateWorker() {
    this(FunctionEnvironment.current());
  }

  public DeferredUpdateWorker(Map<String, String> env) {
    CloudLogging.install(env); // first, so that a configuration error is logged with it too
    // Next: its settings are read even when the rest of the configuration is refused.
    FunctionMetrics.configure(env);
    WorkerConfig worker = WorkerConfig.fromEnv(env);
    this.config = worker.operations();
    if (!config.enabled()) {
      throw new ConfigException(
          Settings.OPERATIONS_QUEUE.name() + " must name the queue this worker serves");
    }
    Datastore datastore = DatastoreClients.create(worker.datastore());
    this.applier =
        new OperationApplier(
            datastore,
            worker.sharding(),
            worker.retry(),
            OperationJson.parser(config, JsonValues.of(datastore)));
    this.oidc =
        config.oidc()
            ? Optional.of(
                new OidcVerifier(
                    worker.jwksUrl(),
                    config.workerUrl(),
                    config.serviceAccount(),
                    Clock.systemUTC()))
            : Optional.empty();
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    FunctionBoundary.serve(request, response, () -> handle(request));
  }

  private JsonReply handle(HttpRequest request) throws Exception {
    if (!request.getMethod().equals("POST")) {
      throw new ApiException(
          HttpStatus.METHOD_NOT_ALLOWED,
          "method " + request.getMethod() + " is not allowed; use POST",
          Map.of("Allow", "POST"));
    }
    String queue = request.getFirstHeader("X-CloudTasks-QueueName").orElse("");
    if (!queue.equals(config.queueId())) {
      throw new ApiException(
          HttpStatus.FORBIDDEN, "only tasks of queue '" + config.queueId() + "' are served here");
    }
    if (oidc.isPresent()) {
      try {
        oidc.get().verify(request.getFirstHeader("Authorization").orElse(null));
      } catch (OidcVerifier.InvalidToken e) {
        throw new ApiException(HttpStatus.UNAUTHENTICATED, e.getMessage());
      }
    }
    JsonObject body = RequestBodies.jsonObject(request);
    RequestBodies.allowOnly(body, Set.of("id"));
    JsonElement id = body.get("id");
    if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isString()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "the body must be {\"id\": \"<operation id>\"}");
    }
    OperationApplier.Outcome outcome =
        applier.apply(OperationIds.check(id.getAsString()), earlierDeliveries(request));
    if (outcome.result() == OperationApplier.Result.UNKNOWN) {
      LOG.warning("task for unknown operation " + id.getAsString() + " dropped");
    }
    JsonObject reply = outcome.operation().map(OperationJson::of).orElseGet(JsonObject::new);
    reply.addProperty("result", outcome.result().name());
    return JsonReply.ok(reply);
  }

  /** {@code X-CloudTasks-TaskRetryCount}: how many times the task was delivered before. */
  private static long earlierDeliveries(HttpRequest request) {
    try {
      return Math.max(
          0, Long.parseLong(request.getFirstHeader("X-CloudTasks-TaskRetryCount").orElse("0")));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
