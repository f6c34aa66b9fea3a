package dev.hotpath.local.stack;

import dev.hotpath.functions.FunctionBoundary;
import dev.hotpath.functions.JsonReply;
import dev.hotpath.functions.RequestBodies;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;

/**
 * Receives a request's body before the function runs, with non-blocking reads (Servlet 3.1 async
 * I/O): a client that trickles its body holds no thread while it does, and one that has not
 * finished by {@link RequestBodies#DEADLINE} is answered 408 without the function ever running.
 * Only then is the request dispatched to the function, which reads the buffered bytes. The
 * invoker's blocking model would otherwise give every slow body a thread of its own until the
 * deadline, and a few thousand of them would leave none for anyone else.
 *
 * <p>At most {@link RequestBodies#MAX_BYTES} + 1 bytes are kept; the rest of a larger body is read
 * and dropped, so the function answers 413 as usual and the client is not cut off mid-upload.
 *
 * <p>While the body arrives, the response already holds (buffered, not sent) a 503 in the JSON
 * error shape, which the dispatch to the function discards. A server stopping meanwhile may
 * complete the request without running the function; its client then hears that 503, not Jetty's
 * default empty 200 — which a client would take for an acknowledged write that never happened.
 */
final class BufferedBodyFilter implements Filter {
  private static final String BODY = BufferedBodyFilter.class.getName() + ".body";

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    byte[] body = (byte[]) request.getAttribute(BODY);
    if (body != null) {
      res.reset(); // the function answers instead
      chain.doFilter(new Buffered(request, body), res);
      return;
    }
    if (request.getDispatcherType() != DispatcherType.REQUEST || !hasBody(request)) {
      chain.doFilter(req, res);
      return;
    }
    // What the client hears if the function never runs for it.
    write((HttpServletResponse) res, JsonReply.error(FunctionBoundary.shuttingDown()));
    AsyncContext async = request.startAsync();
    async.setTimeout(RequestBodies.DEADLINE.toMillis());
    AtomicBoolean finished = new AtomicBoolean();
    ServletInputStream in = request.getInputStream();
    async.addListener(new Deadline(async, finished));
    in.setReadListener(new Receiver(request, in, async, finished));
  }

  /**
   * Replaces whatever {@code response} holds with {@code reply}, buffered: no Content-Length, which
   * would make Jetty send it the moment the body is written.
   */
  private static void write(HttpServletResponse response, JsonReply reply) throws IOException {
    response.reset();
    response.setStatus(reply.code());
    response.setContentType(JsonReply.CONTENT_TYPE);
    reply.headers().forEach(response::setHeader);
    response.getOutputStream().write(JsonReply.utf8(reply.body()));
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0
        || "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
  }

  /** Collects the body as it arrives; dispatches to the function once all of it is there. */
  private record Receiver(
      HttpServletRequest request, ServletInputStream in, AsyncContext async, AtomicBoolean finished)
      implements ReadListener {
    private static final ThreadLocal<byte[]> CHUNKS =
        ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    Receiver {
      request.setAttribute(BODY + ".partial", new ByteArrayOutputStream());
    }

    @Override
    public void onDataAvailable() throws IOException {
      ByteArrayOutputStream kept = (ByteArrayOutputStream) request.getAttribute(BODY + ".partial");
      byte[] chunk = CHUNKS.get();
      while (in.isReady()) {
        int n = in.read(chunk);
        if (n < 0) {
          return;
        }
        int room = RequestBodies.MAX_BYTES + 1 - kept.size();
        kept.write(chunk, 0, Math.min(n, Math.max(room, 0)));
      }
    }

    @Override
    public void onAllDataRead() {
      if (finished.compareAndSet(false, true)) {
        request.setAttribute(
            BODY, ((ByteArrayOutputStream) request.getAttribute(BODY + ".partial")).toByteArray());
        request.removeAttribute(BODY + ".partial");
        async.dispatch();
      }
    }

    @Override
    public void onError(Throwable failure) {
      if (finished.compareAndSet(false, true)) {
        async.complete(); // the client went away: nobody to answer
      }
    }
  }

  /** Answers 408 when the body has not arrived in time. */
  private record Deadline(AsyncContext async, AtomicBoolean finished) implements AsyncListener {
    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      HttpServletResponse response = (HttpServletResponse) async.getResponse();
      write(response, JsonReply.error(RequestBodies.deadlinePassed()));
      response.setHeader("Connection", "close"); // the rest of the body is not worth waiting for
      async.complete();
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }

  /** The request as the function sees it: the body comes from the buffer. */
  private static final class Buffered extends HttpServletRequestWrapper {
    private final byte[] body;

    Buffered(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream bytes = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return bytes.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body is already buffered");
        }
      };
    }
  }
}
