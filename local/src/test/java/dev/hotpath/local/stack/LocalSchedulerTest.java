package dev.hotpath.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.hotpath.testsupport.Poll;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LocalSchedulerTest {

  @Test
  void postsToTheTargetWhenTheScheduleFires() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        e -> {
          requests.add(
              e.getRequestMethod()
                  + " "
                  + e.getRequestURI()
                  + " "
                  + e.getRequestBody().readAllBytes().length);
          e.sendResponseHeaders(200, -1);
          e.close();
        });
    server.start();
    // A clock shifted so that the next whole minute is half a second away: "* * * * *" fires soon.
    Instant now = Instant.now();
    long intoMinuteMs = now.toEpochMilli() % 60_000;
    Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofMillis(59_500 - intoMinuteMs));
    try (LocalScheduler scheduler =
        LocalScheduler.start(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/run"),
            CronSchedule.parse("* * * * *"),
            clock)) {
      Poll.until("the schedule fires", Duration.ofSeconds(20), () -> !requests.isEmpty());
      assertEquals(List.of("POST /run 0"), requests);
      assertEquals(1, scheduler.fired());
    } finally {
      server.stop(0);
    }
  }
}
