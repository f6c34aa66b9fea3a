package dev.hotpath.local;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.invoker.runner.Invoker;
import dev.hotpath.functions.FunctionEnvironment;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Serves one {@link HttpFunction} in this JVM with the Functions Framework invoker — the same
 * server Cloud Functions runs the function in — on a loopback-reachable port. The function is
 * constructed by the invoker (no-argument constructor) and reads {@code env} on top of the
 * process environment through {@link FunctionEnvironment}.
 */
public final class FunctionServer implements AutoCloseable {
  private final Invoker invoker;
  private final int port;

  private FunctionServer(Invoker invoker, int port) {
    this.invoker = invoker;
    this.port = port;
  }

  /**
   * Starts serving {@code function} on {@code port} (0: a free port).
   *
   * @param env variables the function sees in addition to the process environment
   */
  public static FunctionServer start(Class<? extends HttpFunction> function, int port, Map<String, String> env)
      throws Exception {
    int chosen = port == 0 ? freePort() : port;
    Invoker invoker = new Invoker(chosen, function.getName(), "http", function.getClassLoader());
    // The invoker constructs the function while starting, on this thread: that is when it reads env.
    FunctionEnvironment.runWith(
        env,
        () -> {
          invoker.startTestServer();
          return null;
        });
    return new FunctionServer(invoker, chosen);
  }

  public int port() {
    return port;
  }

  /** {@code http://localhost:PORT} */
  public String url() {
    return "http://localhost:" + port;
  }

  @Override
  public void close() throws Exception {
    invoker.stopServer();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
