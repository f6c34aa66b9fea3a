package dev.hotpath.emulators.tasks.engine;

import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.FieldMask;
import com.google.protobuf.util.FieldMaskUtil;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The Cloud Tasks emulator's state: queues by name, each a {@link QueueRunner} with its tasks and
 * dispatch thread. Speaks in protos and {@link EmulatorException}s; knows nothing of gRPC.
 */
public final class TasksEngine implements AutoCloseable {
  /** Fields of a queue UpdateQueue may change; the rest are the server's to set. */
  private static final FieldMask UPDATABLE =
      FieldMask.newBuilder()
          .addPaths("rate_limits")
          .addPaths("retry_config")
          .addPaths("stackdriver_logging_config")
          .addPaths("app_engine_routing_override")
          .build();

  private final Map<String, QueueRunner> queues = new ConcurrentHashMap<>();
  private final QueueRunner.Services services;
  private final NewTaskValidator validator;

  public TasksEngine(QueueRunner.Services services, NewTaskValidator validator) {
    this.services = services;
    this.validator = validator;
    services.clock().onJump(() -> queues.values().forEach(QueueRunner::wake));
  }

  public Queue createQueue(String parent, Queue queue) {
    String location = ResourceNames.location(parent);
    String name = ResourceNames.queue(queue.getName());
    if (!ResourceNames.locationOfQueue(name).equals(location)) {
      throw EmulatorException.invalidArgument(
          "queue name '" + name + "' is not in location '" + location + "'");
    }
    QueueRunner runner = new QueueRunner(queue, QueueConfig.of(queue), services);
    if (queues.putIfAbsent(name, runner) != null) {
      throw new EmulatorException(Code.ALREADY_EXISTS, "queue '" + name + "' already exists");
    }
    runner.start();
    services.changed().run();
    return runner.describe();
  }

  public Queue getQueue(String name) {
    return existing(name).describe();
  }

  /** Queues of a location by name; {@code filter} may be empty or {@code state: RUNNING|PAUSED}. */
  public List<Queue> listQueues(String parent, String filter) {
    String location = ResourceNames.location(parent);
    Predicate<Queue> wanted = stateFilter(filter);
    List<Queue> found = new ArrayList<>();
    for (QueueRunner runner : queues.values()) {
      Queue queue = runner.describe();
      if (ResourceNames.locationOfQueue(queue.getName()).equals(location) && wanted.test(queue)) {
        found.add(queue);
      }
    }
    found.sort(Comparator.comparing(Queue::getName));
    return found;
  }

  /** Production's UpdateQueue creates the queue when it does not exist. */
  public Queue updateQueue(Queue update, FieldMask mask) {
    String name = ResourceNames.queue(update.getName());
    QueueRunner runner = queues.get(name);
    if (runner == null) {
      return createQueue(ResourceNames.locationOfQueue(name), update);
    }
    FieldMask paths = mask.getPathsCount() == 0 ? UPDATABLE : mask;
    for (String path : paths.getPathsList()) {
      String top = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
      if (!UPDATABLE.getPathsList().contains(top)) {
        throw EmulatorException.invalidArgument(
            "update_mask path '" + path + "' is not an updatable queue field");
      }
    }
    Queue.Builder merged = runner.describe().toBuilder();
    FieldMaskUtil.merge(
        paths, update, merged, new FieldMaskUtil.MergeOptions().setReplaceMessageFields(true));
    Queue candidate = merged.build();
    return changed(runner.reconfigure(candidate, QueueConfig.of(candidate)));
  }

  public void deleteQueue(String name) {
    QueueRunner runner = queues.remove(ResourceNames.queue(name));
    if (runner == null) {
      throw notFound(name);
    }
    runner.close();
    services.changed().run();
  }

  public Queue purgeQueue(String name) {
    return changed(existing(name).purge());
  }

  public Queue pauseQueue(String name) {
    return changed(existing(name).setState(Queue.State.PAUSED));
  }

  public Queue resumeQueue(String name) {
    return changed(existing(name).setState(Queue.State.RUNNING));
  }

  public Task createTask(String parent, Task task, Task.View view) {
    QueueRunner runner = existing(parent);
    return changed(runner.add(validator.accept(runner.name(), task, services.clock().now()), view));
  }

  public Task getTask(String name, Task.View view) {
    return queueOf(name).get(name, view);
  }

  public List<Task> listTasks(String parent, Task.View view) {
    return existing(parent).list(view);
  }

  public void deleteTask(String name) {
    queueOf(name).delete(name);
    services.changed().run();
  }

  public Task runTask(String name, Task.View view) {
    return queueOf(name).run(name, view);
  }

  /** Every queue (by name) with its tasks: what a data directory keeps. */
  public List<TasksDataDir.QueueState> snapshot() {
    List<TasksDataDir.QueueState> all = new ArrayList<>();
    for (QueueRunner runner : queues.values()) {
      all.add(new TasksDataDir.QueueState(runner.describe(), runner.list(Task.View.FULL)));
    }
    all.sort(Comparator.comparing(q -> q.queue().getName()));
    return all;
  }

  /** Recreates saved queues, in their saved state, with their saved tasks. */
  public void restore(List<TasksDataDir.QueueState> saved) {
    for (TasksDataDir.QueueState state : saved) {
      Queue queue = state.queue();
      createQueue(
          ResourceNames.locationOfQueue(queue.getName()), queue.toBuilder().clearState().build());
      QueueRunner runner = existing(queue.getName());
      if (queue.getState() == Queue.State.PAUSED) {
        runner.setState(Queue.State.PAUSED);
      }
      state.tasks().forEach(runner::restore);
    }
  }

  public boolean hasQueue(String name) {
    return queues.containsKey(ResourceNames.queue(name));
  }

  private <T> T changed(T result) {
    services.changed().run();
    return result;
  }

  /** Deletes every queue and forgets every task name. */
  public void clear() {
    for (String name : List.copyOf(queues.keySet())) {
      QueueRunner runner = queues.remove(name);
      if (runner != null) {
        runner.close();
      }
    }
    services.tombstones().clear();
  }

  @Override
  public void close() {
    clear();
  }

  private QueueRunner queueOf(String taskName) {
    return existing(ResourceNames.queueOfTask(taskName));
  }

  private QueueRunner existing(String queueName) {
    QueueRunner runner = queues.get(ResourceNames.queue(queueName));
    if (runner == null) {
      throw notFound(queueName);
    }
    return runner;
  }

  private static EmulatorException notFound(String queueName) {
    return new EmulatorException(Code.NOT_FOUND, "queue '" + queueName + "' does not exist");
  }

  private static Predicate<Queue> stateFilter(String filter) {
    String trimmed = filter.replace(" ", "");
    if (trimmed.isEmpty()) {
      return q -> true;
    }
    for (Queue.State state :
        List.of(Queue.State.RUNNING, Queue.State.PAUSED, Queue.State.DISABLED)) {
      if (trimmed.equals("state:" + state.name())) {
        return q -> q.getState() == state;
      }
    }
    throw EmulatorException.invalidArgument(
        "filter '" + filter + "' is not supported; use 'state: RUNNING' or 'state: PAUSED'");
  }
}
