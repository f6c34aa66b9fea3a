package dev.hotpath.local.bench;

import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.ByteString;
import dev.hotpath.emulators.http.HttpConnectionServer;
import dev.hotpath.emulators.http.HttpResponse;
import dev.hotpath.emulators.tasks.CloudTasksEmulator;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.shared.tasks.CloudTasksClients;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench tasks}: creates tasks through the real client from several threads for a while and
 * measures them end to end until the emulator has delivered every one to a local HTTP handler.
 */
public final class TasksBenchmark implements Benchmark {
  private static final String LOCATION = "projects/bench/locations/local";

  @Override
  public String name() {
    return "tasks";
  }

  @Override
  public String summary() {
    return "Cloud Tasks emulator: tasks created/s, dispatched/s end to end, create latency";
  }

  @Override
  public String help() {
    return "usage: java -jar hotpath-local.jar bench tasks [FLAGS]\n\n"
        + "  --duration-s N      how long to create tasks in the measured round (default 10)\n"
        + "  --warmup-s N        an unmeasured round first, so the JIT has compiled the hot paths (default 3; 0 skips)\n"
        + "  --threads N         threads creating tasks (default 8)\n"
        + "  --queues N          queues to spread tasks over (default 8); each runs at production's\n"
        + "                      maximum 500 dispatches/s and 1000 concurrent, so N caps dispatch at N x 500/s\n"
        + "  --body-bytes N      task body size (default 256)\n"
        + "  --drain-timeout-s N how long to wait for the last deliveries (default 60)\n";
  }

  @Override
  public int run(String[] args) throws Exception {
    Flags flags =
        Flags.parse(
            args,
            Set.of("duration-s", "warmup-s", "threads", "queues", "body-bytes", "drain-timeout-s"),
            Set.of());
    int durationS = flags.positive("duration-s", 10);
    int warmupS = flags.integer("warmup-s", 3);
    int threads = flags.positive("threads", 8);
    int queueCount = flags.positive("queues", 8);
    int bodyBytes = flags.integer("body-bytes", 256);
    int drainS = flags.positive("drain-timeout-s", 60);

    try (Handler handler = new Handler();
        CloudTasksEmulator emulator = CloudTasksEmulator.builder().build()) {
      emulator.start();
      try (CloudTasksClient client =
          CloudTasksClients.create(Map.of(CloudTasksClients.EMULATOR_HOST, emulator.host()))) {
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < queueCount; i++) {
          queues.add(
              client
                  .createQueue(
                      LOCATION,
                      Queue.newBuilder()
                          .setName(LOCATION + "/queues/bench-" + i)
                          .setRateLimits(
                              RateLimits.newBuilder()
                                  .setMaxDispatchesPerSecond(500)
                                  .setMaxConcurrentDispatches(1000))
                          .build())
                  .getName());
        }
        Task task =
            Task.newBuilder()
                .setHttpRequest(
                    HttpRequest.newBuilder()
                        .setUrl(handler.url())
                        .setBody(ByteString.copyFrom(new byte[Math.max(0, bodyBytes)])))
                .build();
        Round round = new Round(client, queues, task, threads, handler, drainS);
        if (warmupS > 0) {
          System.out.printf("warming up for %d s...%n", warmupS);
          round.run(warmupS);
        }
        System.out.printf(
            "creating tasks for %d s from %d threads over %d queues...%n",
            durationS, threads, queueCount);
        Round.Result result = round.run(durationS);
        System.out.print(result.table());
        if (result.delivered() < result.created()) {
          System.out.printf(
              "WARNING: %d tasks not delivered within %d s%n",
              result.created() - result.delivered(), drainS);
          return 1;
        }
      }
    }
    return 0;
  }

  /**
   * The task handler: a loopback HTTP server that answers 204 and counts deliveries. It stands in
   * for the function a task calls, so it is the project's lean {@link HttpConnectionServer} (a
   * thread per kept-alive connection) rather than {@code com.sun.net.httpserver}, which costs about
   * twice the CPU per request and would measure the JDK's server instead of the emulator.
   */
  private static final class Handler implements AutoCloseable {
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();
    private final HttpConnectionServer server;

    Handler() throws java.io.IOException {
      server =
          new HttpConnectionServer(
              0,
              "bench-task-handler",
              request -> {
                delivered.incrementAndGet();
                lastDeliveryNanos.set(System.nanoTime());
                return new HttpResponse(204, "text/plain", new byte[0]);
              });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.port() + "/task";
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** One timed round: create for a while, wait until the handler has every task, summarise. */
  private record Round(
      CloudTasksClient client,
      List<String> queues,
      Task task,
      int threads,
      Handler handler,
      int drainS) {

    record Result(
        long created,
        long delivered,
        double createSeconds,
        double dispatchSeconds,
        Percentiles latency,
        long cpuNanos) {
      ResultTable table() {
        return new ResultTable("metric", "value")
            .row("tasks created", created)
            .row("tasks delivered", delivered)
            .row("created/s", String.format("%.0f", created / createSeconds))
            .row("dispatched/s (end to end)", String.format("%.0f", delivered / dispatchSeconds))
            .row("create p50 ms", String.format("%.2f", latency.millis(50)))
            .row("create p99 ms", String.format("%.2f", latency.millis(99)))
            .row(
                "CPU ms per task (whole process)",
                String.format("%.3f", cpuNanos / 1e6 / Math.max(1, created)));
      }
    }

    Result run(int durationS) throws Exception {
      handler.delivered.set(0);
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      long stopAt = start + durationS * 1_000_000_000L;
      ExecutorService creators = Executors.newFixedThreadPool(threads);
      List<Future<long[]>> perThread = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        perThread.add(creators.submit(() -> createUntil(client, queues, task, offset, stopAt)));
      }
      List<long[]> latencies = new ArrayList<>();
      for (Future<long[]> f : perThread) {
        latencies.add(f.get());
      }
      creators.shutdown();
      long createdEnd = System.nanoTime();
      long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
      long drainDeadline = System.nanoTime() + drainS * 1_000_000_000L;
      while (handler.delivered.get() < all.length && System.nanoTime() < drainDeadline) {
        Thread.sleep(20);
      }
      return new Result(
          all.length,
          handler.delivered.get(),
          (createdEnd - start) / 1e9,
          (handler.lastDeliveryNanos.get() - start) / 1e9,
          new Percentiles(all),
          processCpuNanos() - cpuStart);
    }
  }

  /**
   * Creates tasks round-robin over the queues until {@code stopAt}; returns each call's latency.
   */
  private static long[] createUntil(
      CloudTasksClient client, List<String> queues, Task task, int offset, long stopAt) {
    long[] latencies = new long[1024];
    int n = 0;
    while (System.nanoTime() < stopAt) {
      long begin = System.nanoTime();
      client.createTask(queues.get((offset + n) % queues.size()), task);
      if (n == latencies.length) {
        latencies = Arrays.copyOf(latencies, n * 2);
      }
      latencies[n++] = System.nanoTime() - begin;
    }
    return Arrays.copyOf(latencies, n);
  }

  /**
   * CPU time of this process (client, emulator and handler together): on a busy machine the rates
   * above measure the neighbours too, this does not.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
