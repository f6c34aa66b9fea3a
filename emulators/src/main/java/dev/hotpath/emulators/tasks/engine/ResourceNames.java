package dev.hotpath.emulators.tasks.engine;

import dev.hotpath.emulators.EmulatorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and checks Cloud Tasks resource names with the rules production documents: project IDs of
 * letters, digits, hyphens, colons and periods; queue IDs of letters, digits and hyphens (at most
 * 100); task IDs of letters, digits, hyphens and underscores (at most 500).
 */
public final class ResourceNames {
  private static final String PARENT = "projects/[A-Za-z0-9.:-]+/locations/[A-Za-z0-9-]+";
  private static final Pattern LOCATION = Pattern.compile(PARENT);
  private static final Pattern QUEUE =
      Pattern.compile("(" + PARENT + ")/queues/([A-Za-z0-9-]{1,100})");
  private static final Pattern TASK =
      Pattern.compile("(" + PARENT + "/queues/[A-Za-z0-9-]{1,100})/tasks/([A-Za-z0-9_-]{1,500})");

  /** Checks {@code projects/P/locations/L}. */
  static String location(String name) {
    return require(LOCATION, name, "location", "projects/PROJECT_ID/locations/LOCATION_ID")
        .group(0);
  }

  /** Checks {@code projects/P/locations/L/queues/Q} and returns it. */
  public static String queue(String name) {
    return require(
            QUEUE, name, "queue", "projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID")
        .group(0);
  }

  /** The location part of a valid queue name. */
  public static String locationOfQueue(String queueName) {
    return require(
            QUEUE, queueName, "queue", "projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID")
        .group(1);
  }

  /**
   * The last segment of a queue or task name, as the {@code X-CloudTasks-*Name} headers carry it.
   */
  public static String shortId(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  /** Checks a task name and returns the queue it belongs to. */
  static String queueOfTask(String name) {
    return require(
            TASK,
            name,
            "task",
            "projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID/tasks/TASK_ID")
        .group(1);
  }

  private static Matcher require(Pattern pattern, String name, String kind, String shape) {
    Matcher m = pattern.matcher(name == null ? "" : name);
    if (!m.matches()) {
      throw EmulatorException.invalidArgument(
          "invalid " + kind + " name '" + name + "': expected " + shape);
    }
    return m;
  }

  private ResourceNames() {}
}
