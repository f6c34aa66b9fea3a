package dev.hotpath.functions.logging;

import dev.hotpath.shared.config.Settings;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Puts {@link CloudJsonLogHandler} in place of the Functions Framework's JSON handler, which the
 * invoker installs on the root logger where {@code K_SERVICE} is set (Cloud Run) and which writes
 * no trace. Elsewhere — {@code up}, tests, any runtime that chose its own output — nothing changes,
 * so local logs stay readable one-line text.
 */
public final class CloudLogging {
  /** The invoker's handler; named, since the invoker is the runtime's, not a dependency of ours. */
  static final String INVOKER_HANDLER = "com.google.cloud.functions.invoker.gcf.JsonLogHandler";

  /**
   * Called by each function's constructor with the environment it reads (for the project);
   * idempotent.
   */
  public static synchronized void install(Map<String, String> env) {
    // The process's own K_SERVICE, as the invoker read it when it chose its JSON handler: the
    // platform's marker, not a setting of ours (an in-process stack's overlay never has it).
    String service = System.getenv("K_SERVICE");
    if (service == null || service.isEmpty()) {
      return;
    }
    Logger root = Logger.getLogger("");
    Optional<String> project =
        Optional.ofNullable(env.get(Settings.PROJECT.name())).filter(p -> !p.isBlank());
    for (Handler handler : root.getHandlers()) {
      if (handler.getClass().getName().equals(INVOKER_HANDLER)) {
        CloudJsonLogHandler ours = new CloudJsonLogHandler(System.out, project);
        ours.setLevel(handler.getLevel());
        root.removeHandler(handler);
        root.addHandler(ours);
      }
    }
  }

  private CloudLogging() {}
}
