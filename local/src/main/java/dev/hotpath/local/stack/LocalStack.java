package dev.hotpath.local.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Running {@link StackPart}s, started in order with one shared environment, stopped in reverse. */
public final class LocalStack implements AutoCloseable {
  private final List<StackPart> started = new ArrayList<>();

  private LocalStack() {}

  /**
   * Starts {@code parts} in order; if one fails, those already running are stopped.
   *
   * @param env the environment the first part sees; parts add to a copy of it
   */
  public static LocalStack start(List<StackPart> parts, Map<String, String> env) throws Exception {
    LocalStack stack = new LocalStack();
    Map<String, String> shared = new HashMap<>(env);
    try {
      for (StackPart part : parts) {
        part.start(shared);
        synchronized (stack.started) {
          stack.started.add(part);
        }
      }
    } catch (Exception e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  /** Every part's banner lines, in start order. */
  public List<String> banner() {
    List<String> lines = new ArrayList<>();
    synchronized (started) {
      started.forEach(part -> lines.addAll(part.banner()));
    }
    return lines;
  }

  @Override
  public void close() {
    synchronized (started) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception e) {
          System.err.println("stopping " + started.get(i).getClass().getSimpleName() + ": " + e);
        }
      }
      started.clear();
    }
  }
}
