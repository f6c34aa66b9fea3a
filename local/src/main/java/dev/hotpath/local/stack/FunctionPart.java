package dev.hotpath.local.stack;

import com.google.cloud.functions.HttpFunction;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One function of the local stack, served by the invoker with the stack's environment. */
public final class FunctionPart implements StackPart {
  private final String title;
  private final Class<? extends HttpFunction> function;
  private final InetAddress address;
  private final int port;
  private final Function<String, List<String>> examples;
  private FunctionServer server;

  /**
   * @param address where it listens (loopback unless the user chose otherwise)
   * @param examples given the function's base URL, the lines (e.g. curl commands) that show it
   */
  public FunctionPart(
      String title,
      Class<? extends HttpFunction> function,
      InetAddress address,
      int port,
      Function<String, List<String>> examples) {
    this.title = title;
    this.function = function;
    this.address = address;
    this.port = port;
    this.examples = examples;
  }

  @Override
  public void start(Map<String, String> env) throws Exception {
    server = FunctionServer.start(function, address, port, env);
  }

  /** The base URL the function is served at, once started. */
  String url() {
    return server.url();
  }

  @Override
  public List<String> banner() {
    List<String> lines = new ArrayList<>();
    lines.add(title + ": " + server.url() + "  (" + function.getName() + ")");
    examples.apply(server.url()).forEach(line -> lines.add("  " + line));
    return lines;
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
