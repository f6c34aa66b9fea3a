package dev.hotpath.emulators.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small HTTP/1.1 server on loopback: one thread per kept-alive connection, blocking I/O, requests
 * handled on the connection's own thread. Datastore clients hold a few long-lived connections and
 * send small requests, and for that this is several times cheaper per request than the JDK's {@code
 * com.sun.net.httpserver} (no hand-off between a selector thread and a worker, no header maps, no
 * Date header formatting), which decides whether the emulator keeps up with the client.
 *
 * <p>Supports Content-Length and chunked request bodies, {@code Expect: 100-continue}, keep-alive
 * (HTTP/1.1 by default, HTTP/1.0 on request), an idle timeout, and a deadline for a request's line
 * and headers ({@link #HEADER_DEADLINE}; 408 when passed). Malformed requests get a 400 and the
 * connection is closed.
 *
 * <p>With an {@link H2cRoute}, a connection that opens with the HTTP/2 client preface (gRPC's
 * plaintext "prior knowledge" h2c) is relayed byte for byte to the route's server instead: one port
 * then serves both HTTP/1.1 and gRPC, as Google's emulators do, so every client reaches it with
 * nothing but {@code host:port}.
 */
public final class HttpConnectionServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HttpConnectionServer.class.getName());
  private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
  private static final int IDLE_TIMEOUT_MS = 120_000;

  /**
   * Time from a request's first byte to the end of its headers: the idle timeout restarts with
   * every byte, so without it a client trickling its headers holds a connection (of at most {@value
   * #MAX_CONNECTIONS}) and a thread forever. Loopback clients send theirs in one write.
   */
  public static final Duration HEADER_DEADLINE = Duration.ofSeconds(10);

  private static final int MAX_CONNECTIONS = 1024;
  private static final byte[] HTTP2_PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket socket;
  private final Function<HttpRequest, HttpResponse> handler;
  private final H2cRoute h2c;
  private final Duration headerDeadline;
  private final ExecutorService connections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  /**
   * @param threadNames the prefix of its threads' names, e.g. {@code datastore-http}
   * @param handler answers each request on the connection's thread
   */
  public HttpConnectionServer(
      int port, String threadNames, Function<HttpRequest, HttpResponse> handler)
      throws IOException {
    this(port, threadNames, handler, null);
  }

  /**
   * Where HTTP/2 connections go: the loopback address of a server (started on first use) that
   * speaks HTTP/2 cleartext with prior knowledge, e.g. a gRPC server.
   */
  @FunctionalInterface
  public interface H2cRoute {
    InetSocketAddress address() throws IOException;
  }

  /** As above, and connections that open with the HTTP/2 preface are relayed to {@code h2c}. */
  public HttpConnectionServer(
      int port, String threadNames, Function<HttpRequest, HttpResponse> handler, H2cRoute h2c)
      throws IOException {
    this(port, threadNames, handler, h2c, HEADER_DEADLINE);
  }

  /** As above, with another header deadline (tests). */
  HttpConnectionServer(
      int port,
      String threadNames,
      Function<HttpRequest, HttpResponse> handler,
      H2cRoute h2c,
      Duration headerDeadline)
      throws IOException {
    this.handler = handler;
    this.h2c = h2c;
    this.headerDeadline = headerDeadline;
    this.socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    AtomicInteger n = new AtomicInteger();
    this.connections =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, threadNames + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, threadNames + "-accept");
    acceptor.setDaemon(true);
  }

  public void start() {
    acceptor.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.WARNING, "accept failed", e);
        }
        continue;
      }
      if (open.size() >= MAX_CONNECTIONS) {
        closeQuietly(client);
        continue;
      }
      open.add(client);
      connections.execute(() -> serve(client));
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setTcpNoDelay(true);
      DeadlineInput input = new DeadlineInput(client, IDLE_TIMEOUT_MS);
      InputStream in = new BufferedInputStream(input, 16 * 1024);
      if (!awaitRequest(in, input)) {
        return;
      }
      if (h2c != null && opensWithHttp2Preface(in)) {
        input.noDeadline();
        relay(client, in, h2c.address());
        return;
      }
      OutputStream out = new BufferedOutputStream(client.getOutputStream(), 16 * 1024);
      try {
        while (!closed && serveRequest(in, input, out)) {
          // the next request on the kept-alive connection
        }
      } catch (DeadlineInput.Passed e) {
        writeError(
            out,
            408,
            "DEADLINE_EXCEEDED",
            "the request headers did not arrive within " + headerDeadline.toSeconds() + " s");
      }
    } catch (SocketTimeoutException | SocketException e) {
      // idle too long, or the peer went away: just drop the connection
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.log(Level.FINE, "connection failed", e);
      }
    } finally {
      open.remove(client);
    }
  }

  /**
   * Waits, under the idle timeout, for the first byte of a request (consuming nothing), then arms
   * the header deadline; false when the client closed the connection instead.
   */
  private boolean awaitRequest(InputStream in, DeadlineInput input) throws IOException {
    in.mark(1);
    if (in.read() < 0) {
      return false;
    }
    in.reset();
    input.deadline(System.nanoTime() + headerDeadline.toNanos());
    return true;
  }

  /** Reads and answers one request; whether the connection carries another. */
  private boolean serveRequest(InputStream in, DeadlineInput input, OutputStream out)
      throws IOException {
    if (!awaitRequest(in, input)) {
      return false; // the client closed the connection between requests
    }
    String requestLine = HttpWire.line(in, true);
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      writeError(out, 400, "INVALID_ARGUMENT", "malformed request line");
      return false;
    }
    Map<String, String> headers = HttpWire.headers(in);
    if (headers == null) {
      writeError(out, 431, "INVALID_ARGUMENT", "request headers too large or malformed");
      return false;
    }
    input.noDeadline(); // the body and the next request's first byte wait under the idle timeout
    boolean http10 = parts[2].equals("HTTP/1.0");
    String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
    if (headers.getOrDefault("expect", "").equalsIgnoreCase("100-continue")) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    byte[] body = HttpWire.body(in, headers, MAX_BODY_BYTES);
    if (body == null) {
      writeError(
          out,
          400,
          "INVALID_ARGUMENT",
          "request body is malformed, truncated or larger than " + MAX_BODY_BYTES + " bytes");
      return false;
    }
    String target = parts[1];
    int query = target.indexOf('?');
    HttpRequest request =
        new HttpRequest(parts[0], query < 0 ? target : target.substring(0, query), headers, body);
    write(out, handler.apply(request), keepAlive);
    return keepAlive;
  }

  /**
   * Whether the connection starts with the HTTP/2 client preface; consumes nothing. Reads only
   * while the bytes still match, so an HTTP/1 request (which differs at its first byte unless its
   * method is PRI) never waits for bytes its client will not send.
   */
  private static boolean opensWithHttp2Preface(InputStream in) throws IOException {
    in.mark(HTTP2_PREFACE.length);
    try {
      for (byte expected : HTTP2_PREFACE) {
        if (in.read() != (expected & 0xff)) {
          return false;
        }
      }
      return true;
    } finally {
      in.reset();
    }
  }

  /** Copies bytes both ways between {@code client} and a new connection to {@code target}. */
  private void relay(Socket client, InputStream fromClient, InetSocketAddress target)
      throws IOException {
    client.setSoTimeout(0); // HTTP/2 peers keep connections open and ping on their own schedule
    try (Socket backend = new Socket()) {
      backend.setTcpNoDelay(true);
      backend.connect(target);
      open.add(backend);
      try {
        OutputStream toBackend = backend.getOutputStream();
        connections.execute(
            () -> {
              try {
                fromClient.transferTo(
                    toBackend); // socket streams are unbuffered: each frame goes at once
              } catch (IOException e) {
                // either side went away; closing both below ends the other direction too
              } finally {
                closeQuietly(backend);
                closeQuietly(client);
              }
            });
        backend.getInputStream().transferTo(client.getOutputStream());
      } finally {
        open.remove(backend);
        closeQuietly(client);
      }
    }
  }

  private static void write(OutputStream out, HttpResponse response, boolean keepAlive)
      throws IOException {
    StringBuilder head =
        new StringBuilder(128)
            .append("HTTP/1.1 ")
            .append(response.status())
            .append(' ')
            .append(reason(response.status()))
            .append("\r\n")
            .append("Content-Type: ")
            .append(response.contentType())
            .append("\r\n")
            .append("Content-Length: ")
            .append(response.body().length)
            .append("\r\n");
    if (!keepAlive) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(response.body());
    out.flush();
  }

  private static void writeError(OutputStream out, int status, String code, String message)
      throws IOException {
    String json =
        "{\"error\":{\"code\":"
            + status
            + ",\"status\":\""
            + code
            + "\",\"message\":\""
            + message
            + "\"}}";
    write(
        out,
        new HttpResponse(
            status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8)),
        false);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 204 -> "No Content";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 499 -> "Client Closed Request";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(socket);
    open.forEach(HttpConnectionServer::closeQuietly);
    connections.shutdownNow();
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
