package dev.hotpath.local.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local stand-in for Cloud Scheduler: POSTs to a URL on a cron schedule (e.g. {@code * * * *
 * *}, every minute), each request on its own so a slow answer never delays the next firing, as
 * Cloud Scheduler does. Answers are logged, not retried.
 *
 * <pre>{@code
 * LocalScheduler scheduler = LocalScheduler.start(URI.create("http://localhost:8083/"),
 *     CronSchedule.parse("* * * * *"), Clock.systemDefaultZone());
 * ...
 * scheduler.close();
 * }</pre>
 */
public final class LocalScheduler implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalScheduler.class.getName());
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

  private final URI target;
  private final CronSchedule schedule;
  private final Clock clock;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ScheduledExecutorService timer;
  private final AtomicLong fired = new AtomicLong();

  private LocalScheduler(URI target, CronSchedule schedule, Clock clock) {
    this.target = target;
    this.schedule = schedule;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "local-scheduler");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts firing at {@code schedule}'s next time in {@code clock}'s zone. */
  public static LocalScheduler start(URI target, CronSchedule schedule, Clock clock) {
    LocalScheduler scheduler = new LocalScheduler(target, schedule, clock);
    scheduler.scheduleAfter(ZonedDateTime.now(clock));
    LOG.fine(() -> "scheduler: POST " + target + " at '" + schedule + "'");
    return scheduler;
  }

  /** How many times it has fired (requests sent, whatever their answers). */
  public long fired() {
    return fired.get();
  }

  private void scheduleAfter(ZonedDateTime after) {
    ZonedDateTime next = schedule.next(after);
    long delay = Math.max(0, Duration.between(ZonedDateTime.now(clock), next).toMillis());
    timer.schedule(() -> fire(next), delay, TimeUnit.MILLISECONDS);
  }

  private void fire(ZonedDateTime planned) {
    // Schedule from the planned time, not from now: an early wake-up must not fire a minute twice.
    scheduleAfter(planned);
    fired.incrementAndGet();
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(REQUEST_TIMEOUT)
            .header("User-Agent", "hotpath-local-scheduler")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                LOG.log(Level.WARNING, "scheduler: POST " + target + " failed: " + error);
              } else if (response.statusCode() >= 300) {
                // The answer's error message says why: the scheduler's log is where a user looks
                // first.
                LOG.warning(
                    "scheduler: POST "
                        + target
                        + " answered "
                        + response.statusCode()
                        + ": "
                        + excerpt(response.body()));
              } else {
                LOG.fine(() -> "scheduler: POST " + target + " answered " + response.statusCode());
              }
            });
  }

  private static String excerpt(String body) {
    return body.length() <= 500 ? body : body.substring(0, 500) + "…";
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
