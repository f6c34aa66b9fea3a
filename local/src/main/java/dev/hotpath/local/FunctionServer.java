package dev.hotpath.local;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.invoker.runner.Invoker;
import dev.hotpath.functions.FunctionEnvironment;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.util.Map;
import java.util.EnumSet;
import javax.servlet.DispatcherType;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.FilterMapping;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHandler;

/**
 * Serves one {@link HttpFunction} in this JVM with the Functions Framework invoker — the same
 * server Cloud Functions runs the function in — on a loopback-reachable port. The function is
 * constructed by the invoker (no-argument constructor) and reads {@code env} on top of the
 * process environment through {@link FunctionEnvironment}.
 *
 * <p>Two additions to the invoker's Jetty server (1.4.1 keeps it in a private field, so they are
 * made once it has started): errors Jetty answers itself come in the JSON error shape ({@link
 * JsonErrorHandler}), and request bodies are received without holding a thread, under the body
 * deadline, before the function runs ({@link BufferedBodyFilter}), so slow clients cannot take
 * every thread of the pool.
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
    harden(jetty(invoker));
    return new FunctionServer(invoker, chosen);
  }

  private static Server jetty(Invoker invoker) throws ReflectiveOperationException {
    Field server = Invoker.class.getDeclaredField("server");
    server.setAccessible(true);
    return (Server) server.get(invoker);
  }

  private static void harden(Server server) throws Exception {
    JsonErrorHandler errors = new JsonErrorHandler();
    server.setErrorHandler(errors);
    errors.start();
    ServletHandler servlets = server.getChildHandlerByClass(ServletContextHandler.class).getServletHandler();
    FilterHolder bodies = new FilterHolder(new BufferedBodyFilter());
    bodies.setName("buffered-body");
    bodies.setAsyncSupported(true);
    servlets.addFilter(bodies);
    FilterMapping everything = new FilterMapping();
    everything.setFilterName(bodies.getName());
    everything.setPathSpec("/*");
    everything.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    servlets.prependFilterMapping(everything); // first, before anything that might read the body
    if (!bodies.isStarted()) {
      bodies.start();
      bodies.initialize();
    }
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
