package dev.hotpath.local;

import static dev.hotpath.local.RawHttp.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.functions.invoker.runner.Invoker;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.functions.FunctionEnvironment;
import dev.hotpath.functions.RequestBodies;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.FunctionServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A slow-body attack: 1,200 connections — more than the invoker's whole thread pool of 1,024 — each
 * send their headers and the first byte of a body they never finish. While they hang, a
 * well-behaved client gets every answer within a second; and each attacker is answered 408, in the
 * JSON error shape, once the body deadline has passed for it, not before. Loopback only; every
 * socket has a read timeout and is closed at the end.
 */
class SlowBodyTest {
  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  @RegisterExtension
  @Order(2)
  static final WriteApiExtension api = WriteApiExtension.on(datastore, Map.of());

  private static final int ATTACKERS = 1_200;

  /**
   * Connections are opened by this many threads at once: a connect whose SYN the server's backlog
   * dropped waits a second for its retransmission, and with 8 threads those seconds added up to
   * 6–10 s of the body deadline's 10 before the probes began (CI failed at 934 still hanging).
   */
  private static final int OPENING_THREADS = 32;

  private static final int PROBES = 20;
  private static final Duration SLACK = Duration.ofSeconds(20);

  /** One hanging connection and when its request was sent. */
  private record Attacker(Socket socket, long sentNanos) {}

  @Test
  void slowBodiesNeitherStarveOtherClientsNorHoldAThreadPastTheDeadline() throws Exception {
    int port = URI.create(api.http().base()).getPort();
    byte[] slow =
        ascii(
            "POST /v1/counters/slow:increment HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{");
    // Warm the Datastore connections first; a cold start on a loaded machine may ask for a retry.
    HttpJson.Reply warm = api.http().post("/v1/counters/warm:increment", "{}");
    for (int retry = 0; warm.status() == 503 && retry < 3; retry++) {
      warm = api.http().post("/v1/counters/warm:increment", "{}");
    }
    assertEquals(200, warm.status(), warm.body().toString());
    List<Attacker> attackers = Collections.synchronizedList(new ArrayList<>());
    try {
      Concurrently.run(
          OPENING_THREADS,
          thread -> {
            for (int i = 0; i < ATTACKERS / OPENING_THREADS; i++) {
              Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
              socket.getOutputStream().write(slow);
              socket.getOutputStream().flush();
              attackers.add(new Attacker(socket, System.nanoTime()));
            }
          });

      // One counter per probe: a fresh counter is written at once, so each answer's time is the
      // server's responsiveness, not the flush interval of one client's back-to-back increments.
      for (int i = 0; i < PROBES; i++) {
        long start = System.nanoTime();
        HttpJson.Reply reply =
            api.http().post("/v1/counters/probe-" + i + ":increment", "{\"delta\": 1}");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(200, reply.status(), reply.body().toString());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "probe " + i + " took " + took);
      }
      long probesDone = System.nanoTime();
      for (int i = 0; i < PROBES; i++) {
        assertEquals(
            1,
            api.http().get("/v1/counters/probe-" + i).body().get("value").getAsLong(),
            "probe " + i + " counted once");
      }
      long hanging =
          attackers.stream()
              .filter(a -> a.sentNanos() + RequestBodies.DEADLINE.toNanos() > probesDone)
              .count();
      assertTrue(
          hanging > 1_024,
          "the probes ran while more connections hung than the invoker has threads: " + hanging);

      for (Attacker attacker : attackers) {
        attacker.socket().setSoTimeout((int) RequestBodies.DEADLINE.plus(SLACK).toMillis());
        RawHttp.Answer answer = RawHttp.read(attacker.socket().getInputStream());
        Duration after = Duration.ofNanos(System.nanoTime() - attacker.sentNanos());
        assertEquals("DEADLINE_EXCEEDED", answer.assertJsonError(408).get("status").getAsString());
        assertTrue(
            after.compareTo(RequestBodies.DEADLINE) >= 0,
            "cut off only at the deadline, after " + after);
      }
    } finally {
      for (Attacker attacker : attackers) {
        close(attacker.socket());
      }
    }
  }

  /**
   * Deployed there is no body filter in front of the function (Cloud Functions runs the plain
   * invoker): the function's own deadline interrupts its blocking read and answers 408.
   */
  @Test
  void onThePlainInvokerTheFunctionItselfCutsOffASlowBodyAtTheDeadline() throws Exception {
    int port = FunctionServer.freePort();
    Invoker plain =
        new Invoker(port, WriteApi.class.getName(), "http", WriteApi.class.getClassLoader());
    FunctionEnvironment.runWith(
        WriteApiExtension.env(datastore, Map.of()),
        () -> {
          plain.startTestServer();
          return null;
        });
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout((int) RequestBodies.DEADLINE.plus(SLACK).toMillis());
      long sent = System.nanoTime();
      socket
          .getOutputStream()
          .write(
              ascii(
                  "POST /v1/counters/slow:increment HTTP/1.1\r\nHost: localhost\r\n"
                      + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"));
      socket.getOutputStream().flush();
      RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
      Duration after = Duration.ofNanos(System.nanoTime() - sent);
      assertEquals("DEADLINE_EXCEEDED", answer.assertJsonError(408).get("status").getAsString());
      assertTrue(
          after.compareTo(RequestBodies.DEADLINE) >= 0,
          "cut off only at the deadline, after " + after);
    } finally {
      plain.stopServer();
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a loopback socket of a finished test: nothing to do
    }
  }
}
