package dev.hotpath.local.stack;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the servers' routine start-up chatter (Jetty's version and "Started" lines, one per
 * function) off the console, so what {@code up} prints before its banner is what matters: warnings
 * and errors still show.
 */
public final class StartupLogs {
  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private static final List<Logger> QUIETED =
      List.of(
          Logger.getLogger("org.eclipse.jetty"),
          Logger.getLogger("com.google.cloud.functions.invoker"));

  public static void quiet() {
    QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
  }

  private StartupLogs() {}
}
