package dev.hotpath.emulators.datastore.http;

import com.google.gson.JsonObject;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hotpath.emulators.datastore.EmulatorException;
import dev.hotpath.emulators.datastore.engine.DatastoreEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

/**
 * The HTTP edge, as the google-cloud-datastore client speaks it: protobuf POSTs to {@code
 * /v1/projects/{project}:{method}}, answered with the response protobuf, or with a protobuf {@code
 * google.rpc.Status} and the matching HTTP status on failure. Also {@code GET /} ("Ok") and {@code
 * POST /reset}. Errors for callers that do not speak protobuf (admin paths, JSON requests) use the
 * project's JSON shape {@code {"error":{"code":400,"status":"INVALID_ARGUMENT","message":"…"}}}.
 * Listens on loopback only.
 */
public final class DatastoreHttpServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DatastoreHttpServer.class.getName());
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String RPC_PREFIX = "/v1/projects/";
  private static final int WORKERS = 64;

  static {
    // Small request/response exchanges on kept-alive connections stall ~40 ms under Nagle's
    // algorithm; the JDK server reads this once, when its configuration class loads.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final DatastoreEngine engine;
  private final Map<String, RpcMethods.Method> methods;
  private final HttpServer server;
  private final ExecutorService workers;

  public DatastoreHttpServer(DatastoreEngine engine, int port) throws IOException {
    this.engine = engine;
    this.methods = RpcMethods.of(engine);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            WORKERS,
            r -> {
              Thread t = new Thread(r, "datastore-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String verb = exchange.getRequestMethod();
      boolean protobufCaller = !contentType(exchange).contains("json");
      try {
        if (path.startsWith(RPC_PREFIX)) {
          rpc(exchange, path.substring(RPC_PREFIX.length()), verb, protobufCaller);
        } else if (path.equals("/")) {
          requireVerb(verb, "GET");
          text(exchange, "Ok\n");
        } else if (path.equals("/reset")) {
          requireVerb(verb, "POST");
          engine.reset();
          text(exchange, "Resetting...\n");
        } else {
          throw new EmulatorException(Code.NOT_FOUND, "no such path: " + path);
        }
      } catch (EmulatorException e) {
        fail(exchange, e.code(), e.getMessage(), protobufCaller && path.startsWith(RPC_PREFIX));
      } catch (RuntimeException | IOException e) {
        LOG.log(Level.WARNING, "request " + verb + " " + path + " failed", e);
        fail(exchange, Code.INTERNAL, "internal error: " + e, protobufCaller && path.startsWith(RPC_PREFIX));
      }
    }
  }

  private void rpc(HttpExchange exchange, String rest, String verb, boolean protobufCaller) throws IOException {
    int colon = rest.lastIndexOf(':');
    if (colon <= 0) {
      throw new EmulatorException(Code.NOT_FOUND, "expected /v1/projects/{project}:{method}");
    }
    String project = URLDecoder.decode(rest.substring(0, colon), StandardCharsets.UTF_8);
    String name = rest.substring(colon + 1);
    RpcMethods.Method method = methods.get(name);
    if (method == null) {
      throw new EmulatorException(Code.UNIMPLEMENTED, "unknown method \"" + name + "\"");
    }
    requireVerb(verb, "POST");
    if (!protobufCaller) {
      throw EmulatorException.invalidArgument("this emulator speaks protobuf only; send Content-Type: " + PROTOBUF);
    }
    Message response = method.call(project, body(exchange));
    byte[] bytes = response.toByteArray();
    exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
    send(exchange, 200, bytes);
  }

  private static void requireVerb(String verb, String expected) {
    if (!verb.equals(expected)) {
      throw new EmulatorException(Code.UNIMPLEMENTED, "use " + expected + " here, not " + verb);
    }
  }

  private static String contentType(HttpExchange exchange) {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    return type == null ? "" : type.toLowerCase();
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    return in.readAllBytes();
  }

  private static void text(HttpExchange exchange, String body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(exchange, 200, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void fail(HttpExchange exchange, Code code, String message, boolean asProtobuf) throws IOException {
    int status = HttpStatuses.of(code);
    byte[] body;
    if (asProtobuf) {
      exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
      body = Status.newBuilder().setCode(code.getNumber()).setMessage(message).build().toByteArray();
    } else {
      JsonObject error = new JsonObject();
      error.addProperty("code", status);
      error.addProperty("status", code.name());
      error.addProperty("message", message);
      JsonObject wrapper = new JsonObject();
      wrapper.add("error", error);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      body = wrapper.toString().getBytes(StandardCharsets.UTF_8);
    }
    send(exchange, status, body);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
