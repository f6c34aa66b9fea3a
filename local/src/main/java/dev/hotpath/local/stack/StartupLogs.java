package dev.hotpath.local.stack;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the servers' routine start-up chatter (Jetty's version and "Started" lines, one per
 * function; gRPC's "Epoll available" line when a function's first gRPC call loads its TCP metrics)
 * off the console, so what {@code up} prints is what matters: warnings and errors still show.
 */
public final class StartupLogs {
  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private static final List<Logger> QUIETED =
      List.of(
          Logger.getLogger("org.eclipse.jetty"),
          Logger.getLogger("com.google.cloud.functions.invoker"),
          Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.TcpMetrics"));

  public static void quiet() {
    QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
  }

  private StartupLogs() {}
}
