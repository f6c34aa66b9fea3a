package dev.hotpath.emulators.tasks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP server on loopback standing in for a task handler: records every request it gets
 * (with its arrival time) and answers as the test tells it to. A JUnit extension: register it on an
 * instance field and each test gets a fresh server, answering 200 until told otherwise.
 */
final class TaskReceiver implements BeforeEachCallback, AfterEachCallback {

  /** One request as it arrived; header names lower-cased. */
  record Received(
      String method,
      String path,
      Map<String, String> headers,
      byte[] body,
      long arrivedNanos,
      int concurrent) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** What to answer: a status, optional headers, and how long to stall first. */
  record Reply(int status, Map<String, String> headers, Duration delay) {
    static Reply status(int status) {
      return new Reply(status, Map.of(), Duration.ZERO);
    }
  }

  private HttpServer server;
  private ExecutorService executor;
  private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicInteger concurrent = new AtomicInteger();
  private volatile Function<Received, Reply> replies;

  /** Answers 200 until told otherwise. */
  TaskReceiver() {
    this(200);
  }

  /** Answers {@code status} to everything until told otherwise. */
  TaskReceiver(int status) {
    replies = r -> Reply.status(status);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    executor = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    server.stop(0);
    executor.shutdownNow();
  }

  /** The URL of {@code path} on this server, e.g. {@code http://127.0.0.1:PORT/work}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void answer(Function<Received, Reply> replies) {
    this.replies = replies;
  }

  /** Waits for the next request; fails the test if none comes within {@code timeout}. */
  Received next(Duration timeout) throws InterruptedException {
    Received r = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      throw new AssertionError("no task arrived within " + timeout);
    }
    return r;
  }

  /** Waits for {@code count} requests. */
  List<Received> next(int count, Duration timeout) throws InterruptedException {
    List<Received> all = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (all.size() < count) {
      Received r = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (r == null) {
        throw new AssertionError(
            "only " + all.size() + " of " + count + " tasks arrived within " + timeout);
      }
      all.add(r);
    }
    return all;
  }

  /** Asserts that nothing arrives for {@code quiet}. */
  void expectNothingFor(Duration quiet) throws InterruptedException {
    Received r = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    if (r != null) {
      throw new AssertionError("unexpected delivery of " + r.header("X-CloudTasks-TaskName"));
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    long arrived = System.nanoTime();
    int now = concurrent.incrementAndGet();
    boolean counted = true;
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      Map<String, String> headers = new TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      Received r =
          new Received(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              headers,
              in.readAllBytes(),
              arrived,
              now);
      Reply reply = replies.apply(r);
      if (!reply.delay().isZero()) {
        Thread.sleep(reply.delay().toMillis());
      }
      received.add(r);
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      // No longer in flight once it answers: counted down after the answer left, a handler
      // thread preempted on a busy machine overlapped the dispatcher's next delivery.
      concurrent.decrementAndGet();
      counted = false;
      exchange.sendResponseHeaders(reply.status(), -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (counted) {
        concurrent.decrementAndGet();
      }
    }
  }
}
