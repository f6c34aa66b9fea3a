package dev.hotpath.local.stack;

import com.google.cloud.datastore.Datastore;
import dev.hotpath.local.status.OperationStates;
import dev.hotpath.local.status.StatusReport;
import dev.hotpath.local.status.StatusServer;
import dev.hotpath.local.status.TurnStatus;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.operations.OperationStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The live status page of {@code up}, on loopback: what the functions served in this process
 * recorded (the process-wide {@link Metrics}), operations by state in the stack's Datastore, and
 * the TURN targets as the watchdog answers them. Starts after the functions, so it reads the
 * environment they were given.
 */
public final class StatusPagePart implements StackPart {
  private final int port;
  private final WatchdogPart watchdog;
  private StatusServer server;

  public StatusPagePart(int port, WatchdogPart watchdog) {
    this.port = port;
    this.watchdog = watchdog;
  }

  @Override
  public void start(Map<String, String> env) throws Exception {
    WriteApiConfig config = WriteApiConfig.fromEnv(env);
    Datastore datastore = DatastoreClients.create(config.datastore());
    OperationStore operations =
        new OperationStore(
            datastore, new Idempotent(config.commit().retry(), Duration.ofSeconds(1)));
    StatusReport report =
        new StatusReport(
            Metrics.global(), new OperationStates(operations), new TurnStatus(watchdog::url));
    server = StatusServer.start(port, report::json);
  }

  /** The page's URL, once started. */
  public String url() {
    return server.url();
  }

  @Override
  public List<String> banner() {
    return List.of(
        "Status page: "
            + server.url()
            + "  (counters, groups, operations, TURN targets; refreshes itself)",
        "  curl " + server.url() + StatusServer.JSON_PATH + "   # the same figures as JSON");
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
