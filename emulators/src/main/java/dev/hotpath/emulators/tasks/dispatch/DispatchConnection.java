package dev.hotpath.emulators.tasks.dispatch;

import dev.hotpath.emulators.http.DeadlineInput;
import dev.hotpath.emulators.http.HttpWire;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One kept-alive HTTP/1.1 connection to a task handler, used by one dispatch worker at a time:
 * writes a request, reads the response under the attempt's deadline, and says whether it can carry
 * the next one. Blocking I/O on the worker's own thread, so an attempt costs two system calls and
 * no thread hand-offs.
 */
final class DispatchConnection implements AutoCloseable {
  /** Responses are read only to keep the connection usable; a larger one just closes it. */
  private static final int MAX_RESPONSE_BODY_BYTES = 16 << 20;

  /** The parts of one response the dispatcher needs. */
  record Response(int status, String retryAfter) {}

  private final Socket socket;
  private final DeadlineInput raw;
  private final InputStream in;
  private final OutputStream out;
  private boolean reusable = true;

  private DispatchConnection(Socket socket) throws IOException {
    this.socket = socket;
    socket.setTcpNoDelay(true);
    this.raw = new DeadlineInput(socket);
    this.in = new BufferedInputStream(raw, 8 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
  }

  /** Connects to the URL's host within the deadline; https gets the JDK's default TLS trust. */
  static DispatchConnection open(URI url, long deadlineNanos) throws IOException {
    boolean tls = url.getScheme().equalsIgnoreCase("https");
    int port = url.getPort() >= 0 ? url.getPort() : tls ? 443 : 80;
    Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
    try {
      socket.connect(
          new InetSocketAddress(InetAddress.getByName(url.getHost()), port),
          DeadlineInput.remainingMillis(deadlineNanos));
      if (socket instanceof SSLSocket ssl) {
        ssl.setSoTimeout(DeadlineInput.remainingMillis(deadlineNanos));
        ssl.startHandshake();
      }
      return new DispatchConnection(socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Writes one request: the head as prepared by {@link #head} and the body. */
  void write(byte[] head, byte[] body) throws IOException {
    out.write(head);
    out.write(body);
    out.flush();
  }

  /**
   * Reads the response to the request just written, skipping interim 1xx ones.
   *
   * @return the response, or null when the connection ended before any of it arrived (a kept-alive
   *     connection the handler had already closed: the request can be sent again on a new one)
   * @throws SocketTimeoutException when the deadline passes first
   */
  Response read(String method, long deadlineNanos) throws IOException {
    raw.deadline(deadlineNanos);
    HttpWire.Response response = HttpWire.readResponse(in, method, MAX_RESPONSE_BODY_BYTES);
    if (response == null) {
      reusable = false;
      return null;
    }
    reusable = response.reusable();
    return new Response(response.status(), response.headers().get("retry-after"));
  }

  /** Whether the last response left the connection ready for another request. */
  boolean reusable() {
    return reusable && !socket.isClosed();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
