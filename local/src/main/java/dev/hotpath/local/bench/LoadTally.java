package dev.hotpath.local.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running count of one load's requests, shared by its threads: offered, late (not sent on
 * time), and how the sent ones ended, with the latency of each acknowledged one. Each thread keeps
 * its own {@link Samples} and hands them in when it is done, so recording costs no contention.
 */
final class LoadTally {
  private final LongAdder offered = new LongAdder();
  private final LongAdder late = new LongAdder();
  private final LongAdder acknowledged = new LongAdder();
  private final LongAdder unavailable = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Queue<long[]> latencies = new ConcurrentLinkedQueue<>();

  /** Requests that got no answer, by exception class, with the first one's message. */
  private final Map<String, NoAnswer> noAnswers = new ConcurrentHashMap<>();

  private record NoAnswer(LongAdder count, String firstMessage) {}

  /** One thread's latencies of acknowledged requests, in nanoseconds. */
  final class Samples {
    private long[] nanos = new long[1024];
    private int count;

    /** Counts {@code outcome}; an acknowledged request's latency is kept. */
    void record(LoadOutcome outcome, long latencyNanos) {
      switch (outcome) {
        case ACKNOWLEDGED -> {
          acknowledged.increment();
          if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
          }
          nanos[count++] = latencyNanos;
        }
        case UNAVAILABLE -> unavailable.increment();
        case FAILED -> failed.increment();
      }
    }

    /** Hands this thread's latencies in; call once, when the thread is done. */
    void finish() {
      latencies.add(Arrays.copyOf(nanos, count));
    }
  }

  /** Notes why a request got no answer (it is recorded as {@link LoadOutcome#FAILED} too). */
  void noAnswer(Exception e) {
    noAnswers
        .computeIfAbsent(
            e.getClass().getSimpleName(),
            k -> new NoAnswer(new LongAdder(), String.valueOf(e.getMessage())))
        .count()
        .increment();
  }

  Samples samples() {
    return new Samples();
  }

  void offered() {
    offered.increment();
  }

  void late() {
    late.increment();
  }

  long acknowledgedSoFar() {
    return acknowledged.sum();
  }

  /**
   * The result once every thread has finished.
   *
   * @param closedLoop a closed loop offers exactly what it sends, so offered is acknowledged plus
   *     errors
   */
  LoadResult result(double seconds, boolean closedLoop) {
    noAnswers.forEach(
        (type, why) ->
            System.err.printf(
                "  %d requests got no answer: %s (first: %s)%n",
                why.count().sum(), type, why.firstMessage()));
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
    long errors = unavailable.sum() + failed.sum();
    long offeredCount = closedLoop ? acknowledged.sum() + errors : offered.sum();
    return new LoadResult(
        offeredCount,
        late.sum(),
        acknowledged.sum(),
        unavailable.sum(),
        failed.sum(),
        seconds,
        new Percentiles(all));
  }
}
