package dev.hotpath.local.bench;

import dev.hotpath.emulators.http.HttpWire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The benchmarks' load generator's HTTP/1.1 client: blocking sockets kept alive in a pool, a
 * request written in one system call and its answer read on the sender's own thread. The JDK's
 * {@code java.net.http} client spent more CPU per request than the Write API serving it (its
 * selector and worker threads hand every request over twice), so on two cores the generator, not
 * the service, set the rate an open loop could offer.
 *
 * <p>A request is never re-sent: a failure on a kept-alive connection is the sender's failure, so
 * the benchmark's stored-versus-acknowledged check stays exact.
 */
final class KeepAliveClient implements AutoCloseable {
  private static final int MAX_RESPONSE_BODY_BYTES = 1 << 20;
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int READ_TIMEOUT_MS = 120_000;

  /**
   * A connection idle longer than this is closed rather than reused: servers close idle ones (Jetty
   * after 30 s), and a request written into a connection the server has just closed gets no answer
   * though it was never served.
   */
  private static final long MAX_IDLE_NANOS = Duration.ofSeconds(5).toNanos();

  private final InetSocketAddress server;
  private final String hostHeader;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

  /** A client of the server at {@code base} (http://host:port). */
  KeepAliveClient(String base) {
    URI uri = URI.create(base);
    if (!"http".equals(uri.getScheme()) || uri.getPort() < 0) {
      throw new IllegalArgumentException("KeepAliveClient needs http://host:port, got " + base);
    }
    this.server = new InetSocketAddress(uri.getHost(), uri.getPort());
    this.hostHeader = uri.getHost() + ":" + uri.getPort();
  }

  /**
   * POSTs {@code json} to {@code path} with {@code headers} added; the answer's status.
   *
   * @throws IOException when no answer arrived (refused, reset, timed out)
   */
  int postJson(String path, Map<String, String> headers, byte[] json) throws IOException {
    return post(path, "application/json", headers, json).status();
  }

  /**
   * POSTs {@code body} of {@code contentType} to {@code path} with {@code headers} added; the
   * answer, its body read whole.
   *
   * @throws IOException when no answer arrived (refused, reset, timed out)
   */
  HttpWire.Response post(String path, String contentType, Map<String, String> headers, byte[] body)
      throws IOException {
    StringBuilder head = new StringBuilder(160);
    head.append("POST ")
        .append(path)
        .append(" HTTP/1.1\r\nHost: ")
        .append(hostHeader)
        .append("\r\nContent-Type: ")
        .append(contentType)
        .append("\r\nContent-Length: ")
        .append(body.length)
        .append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);

    Connection connection = idle.pollFirst();
    while (connection != null && System.nanoTime() - connection.idleSince > MAX_IDLE_NANOS) {
      connection.close();
      connection = idle.pollFirst();
    }
    if (connection == null) {
      connection = Connection.open(server);
    }
    try {
      HttpWire.Response response = connection.exchange(request);
      if (response.reusable()) {
        connection.idleSince = System.nanoTime();
        idle.addFirst(connection);
      } else {
        connection.close();
      }
      return response;
    } catch (IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  @Override
  public void close() {
    for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
      c.close();
    }
  }

  private static final class Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private long idleSince;

    private Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 8 * 1024);
      this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    static Connection open(InetSocketAddress server) throws IOException {
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.connect(server, CONNECT_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return new Connection(socket);
      } catch (IOException e) {
        socket.close();
        throw e;
      }
    }

    /** Writes one request and reads its response. */
    HttpWire.Response exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      HttpWire.Response response = HttpWire.readResponse(in, "POST", MAX_RESPONSE_BODY_BYTES);
      if (response == null) {
        throw new IOException("the server closed the connection without answering");
      }
      return response;
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
