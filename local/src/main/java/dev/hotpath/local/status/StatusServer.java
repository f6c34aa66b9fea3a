package dev.hotpath.local.status;

import com.google.gson.JsonElement;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hotpath.functions.JsonReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The status page's server, on loopback only (the page shows names clients wrote): {@code GET /}
 * the page, which refreshes itself from {@code GET /status.json}, the same figures for scripts.
 * Anything else is answered in the one JSON error shape.
 */
public final class StatusServer implements AutoCloseable {
  public static final String JSON_PATH = "/status.json";

  private final HttpServer server;
  private final ExecutorService threads;

  private StatusServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Serves {@code figures} on loopback port {@code port} (0: any free one).
   *
   * @param figures the JSON of {@code /status.json}, computed per request
   */
  public static StatusServer start(int port, Supplier<JsonElement> figures) throws IOException {
    byte[] page = page();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            answer(exchange, page, figures);
          }
        });
    // Two threads: the page's refresh and a script's curl; nothing here is worth more.
    ExecutorService threads = Executors.newFixedThreadPool(2, daemon());
    server.setExecutor(threads);
    server.start();
    return new StatusServer(server, threads);
  }

  private static void answer(HttpExchange exchange, byte[] page, Supplier<JsonElement> figures)
      throws IOException {
    String path = exchange.getRequestURI().getPath();
    boolean known = path.equals("/") || path.equals(JSON_PATH);
    if (!known) {
      error(exchange, 404, "no such page: " + path + "; try / or " + JSON_PATH);
    } else if (!exchange.getRequestMethod().equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET");
      error(exchange, 405, "method " + exchange.getRequestMethod() + " is not allowed; use GET");
    } else if (path.equals("/")) {
      write(exchange, 200, "text/html; charset=utf-8", page);
    } else {
      JsonElement json;
      try {
        json = figures.get();
      } catch (RuntimeException e) {
        error(exchange, 500, "could not gather the figures: " + e);
        return;
      }
      write(exchange, 200, JsonReply.CONTENT_TYPE, JsonReply.utf8(json));
    }
  }

  private static void error(HttpExchange exchange, int code, String message) throws IOException {
    write(
        exchange, code, JsonReply.CONTENT_TYPE, JsonReply.utf8(JsonReply.errorBody(code, message)));
  }

  private static void write(HttpExchange exchange, int code, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] page() {
    try (InputStream in = StatusServer.class.getResourceAsStream("status.html")) {
      if (in == null) {
        throw new IllegalStateException("status.html missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "status-page");
      thread.setDaemon(true);
      return thread;
    };
  }

  public String url() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
