package dev.hotpath.functions;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The environment a function's no-argument constructor reads: the process environment, overlaid —
 * only while {@link #runWith} runs, only on its thread — by variables a local stack passes to
 * functions it serves in-process (the JVM cannot change its own environment).
 */
public final class FunctionEnvironment {
  private static final ThreadLocal<Map<String, String>> OVERLAY = ThreadLocal.withInitial(Map::of);

  /** The variables a function constructed now should read. */
  public static Map<String, String> current() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(OVERLAY.get());
    return Map.copyOf(env);
  }

  /**
   * Runs {@code action} (which constructs functions) with {@code overlay} on top of the
   * environment.
   */
  public static <V> V runWith(Map<String, String> overlay, Callable<V> action) throws Exception {
    Map<String, String> previous = OVERLAY.get();
    OVERLAY.set(Map.copyOf(overlay));
    try {
      return action.call();
    } finally {
      OVERLAY.set(previous);
    }
  }

  private FunctionEnvironment() {}
}
