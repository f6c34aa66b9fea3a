package dev.hotpath.local.stack;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import dev.hotpath.functions.FunctionEnvironment;
import dev.hotpath.shared.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import javax.servlet.DispatcherType;
import javax.servlet.MultipartConfigElement;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Serves one {@link HttpFunction} in this JVM with the Functions Framework invoker's servlet
 * ({@link HttpFunctionExecutor}, which constructs the function and adapts each request, as in Cloud
 * Functions) on a Jetty server set up as the invoker sets up its own (1,024 threads), plus what the
 * invoker's server cannot be given from outside before it listens:
 *
 * <ul>
 *   <li>the address it binds: loopback unless told otherwise (the invoker binds every interface);
 *   <li>errors Jetty answers itself in the JSON error shape ({@link JsonErrorHandler});
 *   <li>a deadline for each request's line and headers ({@link HeaderDeadline}), which Jetty's idle
 *       timeout, restarting with every byte, does not bound;
 *   <li>request bodies received without holding a thread, under the body deadline, before the
 *       function runs ({@link BufferedBodyFilter}), so slow clients cannot take every thread;
 *   <li>a graceful {@link #close}: stop accepting, let requests in flight finish within {@link
 *       #GRACE}, then stop — a request is answered or never reaches the function.
 * </ul>
 *
 * <p>A function whose configuration is invalid refuses to start with a {@link StartupException}
 * that names the setting (the invoker's own message names only the constructor).
 */
public final class FunctionServer implements AutoCloseable {
  /**
   * How long {@link #close} lets requests in flight finish: Cloud Run allows 10 s after SIGTERM.
   */
  public static final Duration GRACE = Duration.ofSeconds(8);

  /** The invoker's pool size: above Cloud Run's per-instance concurrency of at most 1,000. */
  private static final int THREADS = 1024;

  private final Server jetty;
  private final InetAddress address;
  private final int port;

  private FunctionServer(Server jetty, InetAddress address, int port) {
    this.jetty = jetty;
    this.address = address;
    this.port = port;
  }

  /** Starts serving {@code function} on loopback {@code port} (0: a free port). */
  public static FunctionServer start(
      Class<? extends HttpFunction> function, int port, Map<String, String> env) throws Exception {
    return start(function, InetAddress.getLoopbackAddress(), port, env);
  }

  /**
   * Starts serving {@code function} on {@code address}:{@code port} (0: a free port).
   *
   * @param env variables the function sees in addition to the process environment
   * @throws StartupException when the function's configuration is invalid, naming the setting
   */
  public static FunctionServer start(
      Class<? extends HttpFunction> function,
      InetAddress address,
      int port,
      Map<String, String> env)
      throws Exception {
    Server jetty = new Server(new QueuedThreadPool(THREADS));
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(address.getHostAddress());
    connector.setPort(port);
    connector.addBean(new HeaderDeadline(connector.getScheduler()));
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder servlet = new ServletHolder(construct(function, env));
    servlet.getRegistration().setMultipartConfig(new MultipartConfigElement(""));
    context.addServlet(servlet, "/*");
    FilterHolder bodies = new FilterHolder(new BufferedBodyFilter());
    bodies.setAsyncSupported(true);
    context.addFilter(bodies, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    // Counts requests in flight (asynchronous ones until they complete): what a graceful stop waits
    // for.
    StatisticsHandler inFlight = new StatisticsHandler();
    inFlight.setHandler(context);
    jetty.setHandler(inFlight);
    jetty.setErrorHandler(new JsonErrorHandler());
    jetty.setStopTimeout(GRACE.toMillis());
    try {
      jetty.start();
    } catch (Exception e) {
      jetty.stop();
      throw e;
    }
    return new FunctionServer(jetty, address, connector.getLocalPort());
  }

  /** The invoker's servlet for {@code function}, which constructs it now, reading {@code env}. */
  private static HttpFunctionExecutor construct(
      Class<? extends HttpFunction> function, Map<String, String> env) throws Exception {
    try {
      return FunctionEnvironment.runWith(env, () -> HttpFunctionExecutor.forClass(function));
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof ConfigException config) {
          throw new StartupException(
              function.getSimpleName() + " refuses to start: " + config.getMessage());
        }
      }
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /**
   * {@code http://localhost:PORT}, or the bound address's when that is neither loopback nor every
   * interface.
   */
  public String url() {
    String host =
        address.isLoopbackAddress() || address.isAnyLocalAddress()
            ? "localhost"
            : address.getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Stops accepting connections, waits up to {@link #GRACE} for the requests in flight to be
   * answered, then stops.
   */
  @Override
  public void close() throws Exception {
    jetty.stop();
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
