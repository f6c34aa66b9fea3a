package dev.hotpath.local.stack;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The local stand-in for the Cloud Scheduler job that sweeps stranded operations: POSTs to the
 * Write API's {@code /v1/operations:sweep} every minute, as Terraform's {@code operations_sweep}
 * job does in production. Starts after the Write API.
 */
public final class SweepPart implements StackPart {
  public static final CronSchedule SCHEDULE = CronSchedule.parse("* * * * *");

  private final FunctionPart writeApi;
  private final CronSchedule schedule;
  private LocalScheduler scheduler;

  public SweepPart(FunctionPart writeApi, CronSchedule schedule) {
    this.writeApi = writeApi;
    this.schedule = schedule;
  }

  @Override
  public void start(Map<String, String> env) {
    scheduler =
        LocalScheduler.start(
            URI.create(writeApi.url() + "/v1/operations:sweep"),
            schedule,
            Clock.systemDefaultZone());
  }

  @Override
  public List<String> banner() {
    return List.of(
        "Operations sweep: POST "
            + writeApi.url()
            + "/v1/operations:sweep every '"
            + schedule
            + "'");
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.close();
    }
  }
}
