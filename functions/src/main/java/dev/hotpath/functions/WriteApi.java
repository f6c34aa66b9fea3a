package dev.hotpath.functions;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.hotpath.functions.logging.CloudLogging;
import dev.hotpath.shared.config.MetricsConfig;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.counters.CounterName;
import dev.hotpath.shared.counters.CounterService;
import dev.hotpath.shared.counters.CounterValue;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.groupcommit.CommitThreads;
import dev.hotpath.shared.groups.GroupPage;
import dev.hotpath.shared.groups.GroupService;
import dev.hotpath.shared.groups.GroupTarget;
import dev.hotpath.shared.groups.StoredEntity;
import dev.hotpath.shared.json.JsonValues;
import dev.hotpath.shared.json.KeyJson;
import dev.hotpath.shared.json.Rfc3339;
import dev.hotpath.shared.json.StrictJson;
import dev.hotpath.shared.tasks.CloudTasksClients;
import dev.hotpath.shared.validation.Deltas;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Write API: sharded counters with group commit and sharded entity groups, over HTTP.
 *
 * <pre>
 * POST /v1/counters/{name}:increment     {"delta": 1}             → 200 {"name","delta"}
 * GET  /v1/counters/{name}                                        → 200 {"name","value","shards"}
 * POST /v1/groups/{group}/entities/{kind} {"properties": {…}}     → 201 {"key","id","createTime","properties"}
 * GET  /v1/groups/{group}/entities/{kind}?pageSize=&pageToken=    → 200 {"entities":[…],"nextPageToken"}
 * </pre>
 */
public final class WriteApi implements HttpFunction {
  /** Every setting the constructor reads (its operations routes create a Cloud Tasks client). */
  public static final List<Setting> SETTINGS =
      Settings.union(WriteApiConfig.SETTINGS, CloudTasksClients.SETTINGS, MetricsConfig.SETTINGS);

  static final int DEFAULT_PAGE_SIZE = 50;
  private static final List<String> LIST_PARAMETERS = List.of("pageSize", "pageToken");

  private final CounterService counters;
  private final GroupService groups;
  private final JsonValues values;
  private final long answerWithinMillis;
  private final Router router;

  /** Entry point for the Functions Framework: configured from the environment. */
  public WriteApi() {
    this(FunctionEnvironment.current());
  }

  public WriteApi(Map<String, String> env) {
    CloudLogging.install(env); // first, so that a configuration error is logged with it too
    // Next: its settings are read even when the rest of the configuration is refused.
    FunctionMetrics.configure(env);
    WriteApiConfig config = WriteApiConfig.fromEnv(env);
    Datastore datastore = DatastoreClients.create(config.datastore());
    CommitThreads threads = new CommitThreads("write-api");
    this.counters = CounterService.from(datastore, config, threads);
    this.groups =
        new GroupService(
            datastore, config.allowedKinds(), config.sharding(), config.commit(), threads);
    this.values = JsonValues.of(datastore);
    // The committer answers within its budget; this only guards against a lost wake-up.
    this.answerWithinMillis = config.commit().retry().budget().toMillis() + 30_000;
    this.router =
        OperationsRoutes.create(config, env, datastore, values)
            .register(Router.builder())
            .route("POST", "/v1/counters/{name}:increment", this::increment)
            .route("GET", "/v1/counters/{name}", this::readCounter)
            .route("POST", "/v1/groups/{group}/entities/{kind}", this::append)
            .route("GET", "/v1/groups/{group}/entities/{kind}", this::list)
            .build();
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    router.serve(request, response);
  }

  private JsonReply increment(HttpRequest request, Map<String, String> params) throws Exception {
    CounterName name = new CounterName(params.get("name"));
    JsonObject body = RequestBodies.jsonObject(request);
    RequestBodies.allowOnly(body, Set.of("delta"));
    long delta = delta(body);
    await(counters.increment(name, delta));
    JsonObject reply = new JsonObject();
    reply.addProperty("name", name.value());
    reply.addProperty("delta", delta);
    return JsonReply.ok(reply);
  }

  private static long delta(JsonObject body) {
    JsonElement delta = body.get("delta");
    return delta == null ? 1 : Deltas.check("delta", StrictJson.integer(delta, "delta"));
  }

  private JsonReply readCounter(HttpRequest request, Map<String, String> params) {
    Router.refuseUnknownQuery(request, List.of());
    CounterValue counter = counters.read(new CounterName(params.get("name")));
    JsonObject reply = new JsonObject();
    reply.addProperty("name", counter.name());
    reply.addProperty("value", counter.value());
    reply.addProperty("shards", counter.shards());
    return JsonReply.ok(reply);
  }

  private JsonReply append(HttpRequest request, Map<String, String> params) throws Exception {
    GroupTarget target = groups.target(params.get("group"), params.get("kind"));
    JsonObject body = RequestBodies.jsonObject(request);
    RequestBodies.allowOnly(body, Set.of("properties"));
    JsonElement properties = body.get("properties");
    if (properties == null || !properties.isJsonObject()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "the body must hold \"properties\": an object of property values");
    }
    StoredEntity stored =
        await(groups.append(target, values.properties(properties.getAsJsonObject(), "")));
    return JsonReply.created(entityJson(stored));
  }

  private JsonReply list(HttpRequest request, Map<String, String> params) {
    GroupTarget target = groups.target(params.get("group"), params.get("kind"));
    int pageSize = pageSize(Router.query(request, "pageSize", LIST_PARAMETERS));
    Optional<String> token =
        Router.query(request, "pageToken", LIST_PARAMETERS).filter(t -> !t.isEmpty());
    GroupPage page = groups.list(target, pageSize, token);
    JsonArray entities = new JsonArray();
    page.entities().forEach(e -> entities.add(entityJson(e)));
    JsonObject reply = new JsonObject();
    reply.add("entities", entities);
    page.nextPageToken().ifPresent(t -> reply.addProperty("nextPageToken", t));
    return JsonReply.ok(reply);
  }

  private static int pageSize(Optional<String> given) {
    if (given.isEmpty()) {
      return DEFAULT_PAGE_SIZE;
    }
    try {
      return Integer.parseInt(given.get());
    } catch (NumberFormatException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "pageSize must be an integer, got '" + given.get() + "'");
    }
  }

  private JsonObject entityJson(StoredEntity stored) {
    JsonObject json = new JsonObject();
    json.add("key", KeyJson.write(stored.key()));
    json.add("id", new JsonPrimitive(Long.toString(stored.key().getId())));
    json.addProperty("createTime", Rfc3339.format(stored.created()));
    json.add("properties", values.toJson(stored.entity()));
    return json;
  }

  private <V> V await(CompletableFuture<V> write) throws Exception {
    return write.get(answerWithinMillis, TimeUnit.MILLISECONDS);
  }
}
