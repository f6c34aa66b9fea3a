package dev.hotpath.emulators.tasks.engine;

import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import dev.hotpath.emulators.tasks.dispatch.DispatchClock;
import dev.hotpath.emulators.tasks.dispatch.DispatchOutcome;
import dev.hotpath.emulators.tasks.dispatch.DispatchRequest;
import dev.hotpath.emulators.tasks.dispatch.HttpDispatcher;
import dev.hotpath.emulators.tasks.oidc.OidcTokenSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One queue: its configuration, its tasks, and the thread that dispatches them in schedule order
 * while the queue runs, within its token bucket and concurrency limit. Schedules, backoff and the
 * token bucket follow the emulator's {@link DispatchClock} (a hand-driven one in tests). Each
 * attempt is handed to the {@link HttpDispatcher}, whose worker thread reports its {@link
 * DispatchOutcome}; the outcome either drops the task (success, or retries used up) or schedules
 * its retry after the backoff. All state is guarded by one lock, released while an attempt is
 * handed over.
 */
public final class QueueRunner {
  private static final Logger LOG = Logger.getLogger(QueueRunner.class.getName());
  private static final Comparator<TaskRecord> BY_DUE =
      Comparator.comparing(TaskRecord::due).thenComparingLong(TaskRecord::sequence);

  /** What every queue of one emulator shares. */
  public record Services(
      DispatchClock clock,
      HttpDispatcher dispatcher,
      OidcTokenSigner signer,
      NameTombstones tombstones,
      Predicate<String> deliverTwice,
      Runnable changed) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Services services;
  private final String name;
  private final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
  private final NavigableSet<TaskRecord> waiting = new TreeSet<>(BY_DUE);
  private Queue queue;
  private QueueConfig config;
  private final TokenBucket bucket;
  private long nextSequence;
  private int inFlight;
  private boolean closed;

  /**
   * @param queue the queue as created, already checked by {@link QueueConfig#of} into {@code
   *     config}
   */
  QueueRunner(Queue queue, QueueConfig config, Services services) {
    this.services = services;
    this.name = queue.getName();
    this.config = config;
    this.queue = config.describe(queue.toBuilder().setState(Queue.State.RUNNING).build());
    this.bucket =
        new TokenBucket(
            config.maxDispatchesPerSecond(), config.maxBurstSize(), services.clock().now());
  }

  /** Starts the queue's dispatch thread; it ends when the queue is closed. */
  void start() {
    Thread worker =
        new Thread(this::dispatchLoop, "cloud-tasks-queue-" + ResourceNames.shortId(name));
    worker.setDaemon(true);
    worker.start();
  }

  String name() {
    return name;
  }

  Queue describe() {
    return locked(() -> queue);
  }

  Queue reconfigure(Queue updated, QueueConfig newConfig) {
    return locked(
        () -> {
          config = newConfig;
          queue =
              newConfig.describe(
                  updated.toBuilder()
                      .setState(queue.getState())
                      .setPurgeTime(queue.getPurgeTime())
                      .build());
          bucket.reconfigure(
              newConfig.maxDispatchesPerSecond(), newConfig.maxBurstSize(), services.clock().now());
          changed.signalAll();
          return queue;
        });
  }

  Queue setState(Queue.State state) {
    return locked(
        () -> {
          queue = queue.toBuilder().setState(state).build();
          changed.signalAll();
          return queue;
        });
  }

  /** Deletes every task; their names stay taken for an hour like any deleted task's. */
  Queue purge() {
    return locked(
        () -> {
          Instant now = services.clock().now();
          for (String taskName : tasks.keySet()) {
            services.tombstones().add(taskName, now);
          }
          tasks.clear();
          waiting.clear();
          queue = queue.toBuilder().setPurgeTime(TaskRecord.timestamp(now)).build();
          return queue;
        });
  }

  Task add(Task accepted, Task.View view) {
    return locked(
        () -> {
          Instant now = services.clock().now();
          if (tasks.containsKey(accepted.getName())) {
            throw new EmulatorException(
                Code.ALREADY_EXISTS, "task '" + accepted.getName() + "' already exists");
          }
          if (services.tombstones().contains(accepted.getName(), now)) {
            throw new EmulatorException(
                Code.ALREADY_EXISTS,
                "task '"
                    + accepted.getName()
                    + "' was deleted or executed within the last hour; task names cannot be reused that soon");
          }
          TaskRecord record = new TaskRecord(accepted, nextSequence++);
          tasks.put(record.name(), record);
          waiting.add(record);
          changed.signalAll();
          return record.toProto(view);
        });
  }

  Task get(String taskName, Task.View view) {
    return locked(() -> existing(taskName).toProto(view));
  }

  List<Task> list(Task.View view) {
    return locked(
        () -> {
          List<Task> all = new ArrayList<>(tasks.size());
          tasks.values().forEach(t -> all.add(t.toProto(view)));
          return all;
        });
  }

  void delete(String taskName) {
    locked(
        () -> {
          TaskRecord record = existing(taskName);
          tasks.remove(taskName);
          waiting.remove(record);
          services.tombstones().add(taskName, services.clock().now());
          return null;
        });
  }

  /**
   * Dispatches the task now, whatever the schedule, rate limit or pause state, as production's
   * RunTask does; answers with the task as dispatched. A task already being dispatched is left be.
   */
  Task run(String taskName, Task.View view) {
    DispatchRequest request;
    TaskRecord record;
    Task answer;
    lock.lock();
    try {
      record = existing(taskName);
      if (record.inFlight()) {
        return record.toProto(view);
      }
      waiting.remove(record);
      request = startAttempt(record, services.clock().now());
      answer = record.toProto(view);
    } finally {
      lock.unlock();
    }
    send(record, request);
    return answer;
  }

  /**
   * Puts back a task saved before a restart, as it was: same name, schedule and request; no
   * validation (it passed when created) and no check of finished names.
   */
  void restore(Task saved) {
    locked(
        () -> {
          TaskRecord record = new TaskRecord(saved, nextSequence++);
          tasks.put(record.name(), record);
          waiting.add(record);
          changed.signalAll();
          return null;
        });
  }

  /** Stops dispatching; attempts in flight finish but change nothing. */
  void close() {
    locked(
        () -> {
          closed = true;
          tasks.clear();
          waiting.clear();
          changed.signalAll();
          return null;
        });
  }

  /** Makes the dispatch thread re-check the clock (it jumped). */
  void wake() {
    locked(
        () -> {
          changed.signalAll();
          return null;
        });
  }

  private void dispatchLoop() {
    lock.lock();
    try {
      while (!closed) {
        TaskRecord next = waiting.isEmpty() ? null : waiting.first();
        if (next == null
            || queue.getState() != Queue.State.RUNNING
            || inFlight >= config.maxConcurrentDispatches()) {
          changed.await();
          continue;
        }
        Instant now = services.clock().now();
        if (next.due().isAfter(now)) {
          changed.awaitNanos(Duration.between(now, next.due()).toNanos());
          continue;
        }
        if (!bucket.tryTake(now)) {
          changed.awaitNanos(Math.max(1, bucket.untilNextToken(now).toNanos()));
          continue;
        }
        waiting.pollFirst();
        DispatchRequest request = startAttempt(next, now);
        lock.unlock();
        try {
          send(next, request);
        } finally {
          lock.lock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private DispatchRequest startAttempt(TaskRecord record, Instant now) {
    inFlight++;
    return record.startAttempt(now, authorization(record));
  }

  private String authorization(TaskRecord record) {
    HttpRequest http = record.httpRequest();
    if (!http.hasOidcToken()) {
      return null;
    }
    OidcToken oidc = http.getOidcToken();
    String audience = oidc.getAudience().isEmpty() ? http.getUrl() : oidc.getAudience();
    return "Bearer " + services.signer().token(oidc.getServiceAccountEmail(), audience);
  }

  private void send(TaskRecord record, DispatchRequest request) {
    services
        .dispatcher()
        .send(request)
        .thenAccept(outcome -> finish(record, outcome))
        .exceptionally(
            bug -> {
              LOG.log(Level.SEVERE, "lost the outcome of an attempt of " + record.name(), bug);
              return null;
            });
  }

  private void finish(TaskRecord record, DispatchOutcome outcome) {
    lock.lock();
    try {
      inFlight--;
      changed.signalAll();
      if (tasks.get(record.name()) != record) {
        return; // deleted, purged or the queue closed while the attempt ran
      }
      Instant now = services.clock().now();
      record.finishAttempt(outcome, now);
      if (outcome.succeeded()) {
        if (!record.deliveredTwice() && services.deliverTwice().test(record.name())) {
          record.markDeliveredTwice();
          requeue(record, now);
        } else {
          drop(record, now);
        }
        return;
      }
      Duration sinceFirst = Duration.between(record.firstAttemptTime(), now);
      if (config.retry().exhausted(record.dispatchCount(), sinceFirst)) {
        LOG.log(
            Level.INFO,
            "giving up {0} after {1} attempts: {2}",
            new Object[] {record.name(), record.dispatchCount(), outcome.status().getMessage()});
        drop(record, now);
        return;
      }
      Duration backoff = config.retry().backoff(record.dispatchCount() - 1);
      requeue(
          record,
          now.plus(backoff.compareTo(outcome.retryAfter()) >= 0 ? backoff : outcome.retryAfter()));
    } finally {
      lock.unlock();
    }
    services.changed().run();
  }

  private void requeue(TaskRecord record, Instant when) {
    record.scheduleAt(when);
    waiting.add(record);
  }

  private void drop(TaskRecord record, Instant now) {
    tasks.remove(record.name());
    services.tombstones().add(record.name(), now);
  }

  private TaskRecord existing(String taskName) {
    TaskRecord record = tasks.get(taskName);
    if (record == null) {
      throw new EmulatorException(
          Code.NOT_FOUND, "task '" + taskName + "' does not exist (or already completed)");
    }
    return record;
  }

  private <T> T locked(java.util.function.Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
