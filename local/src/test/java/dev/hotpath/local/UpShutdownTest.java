package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.FunctionServer;
import dev.hotpath.testsupport.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what Ctrl+C's SIGINT also triggers) stops {@code up} gracefully under load: 16 clients
 * increment one counter as fast as they are answered, the process is sent SIGTERM mid-run, and
 * afterwards the counter on the data directory holds exactly the increments that were acknowledged.
 * A request cut off after its write committed would make it hold more (and a client retrying on the
 * connection error would count twice). On the way, its output from start to banner fits one screen.
 */
class UpShutdownTest {
  private static final int CLIENTS = 16;
  private static final Pattern WRITE_API = Pattern.compile("Write API: (http://localhost:\\d+)");

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void sigtermUnderLoadAnswersEveryAppliedRequestSoStoredEqualsAcknowledged() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("up.log");
    Process up = startUp(log, "--data-dir", data.toString());
    try {
      String api = awaitBanner(up, log);
      String started = Files.readString(log);
      long toBanner =
          started.lines().takeWhile(line -> !line.startsWith("Press Ctrl+C")).count() + 1;
      assertTrue(
          toBanner <= 25,
          "from start to banner fits one screen: " + toBanner + " lines\n" + started);
      Matcher documented =
          Pattern.compile("the banner; (\\d+) lines")
              .matcher(Files.readString(Path.of("../README.md")).replace('\n', ' '));
      assertTrue(documented.find(), "the README's banner length");
      assertEquals(
          Long.parseLong(documented.group(1)), toBanner, "as the README says:\n" + started);
      IncrementsUntilRefused load = IncrementsUntilRefused.start(api, "load", CLIENTS, 200);
      assertTrue(
          load.awaitLoaded(Duration.ofSeconds(60)),
          "200 increments acknowledged before the SIGTERM");
      long beforeSigterm = load.acknowledged();
      long signalled = System.nanoTime();
      up.destroy(); // SIGTERM
      assertTrue(up.waitFor(60, TimeUnit.SECONDS), "up exits after SIGTERM");
      Duration stopping = Duration.ofNanos(System.nanoTime() - signalled);
      load.awaitStopped(Duration.ofSeconds(30));
      assertTrue(
          load.acknowledged() > beforeSigterm,
          "requests in flight at the SIGTERM were answered; clients ended by " + load.endings());
      assertFalse(
          load.endings().containsKey(IncrementsUntilRefused.EMPTY_200),
          "every 200 carried its reply: " + load.endings());
      String output = Files.readString(log);
      assertTrue(output.contains("hotpath-local up: stopped"), output);
      assertEquals(List.of(), librariesInfoLines(output), "libraries' routine lines: " + output);
      assertTrue(
          stopping.compareTo(FunctionServer.GRACE.multipliedBy(2)) < 0,
          "stopped within the grace period: " + stopping);
      assertEquals(
          load.acknowledged(),
          stored(data, "load"),
          "stored = acknowledged; clients ended by " + load.endings() + "\n" + output);
    } finally {
      up.destroyForcibly().waitFor();
    }
  }

  /**
   * {@code up --turn-demo} stopped with Ctrl+C leaves nothing in the temp folder: the demo's
   * throwaway CA and SSH private keys do not outlive the process. Needs coturn and sshd.
   */
  @Test
  @Timeout(180)
  void ctrlCAfterTheTurnDemoLeavesNothingInTheTempFolder() throws Exception {
    UpCommandTest.assumeTheTurnDemoCanRun();
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path log = dir.resolve("up.log");
    Process up =
        startUp(
            log,
            "-Djava.io.tmpdir=" + tmp,
            "--turn-demo",
            "--watchdog-port",
            "0",
            "--watchdog-schedule",
            "0 0 1 1 *");
    try {
      awaitBanner(up, log);
      assertTrue(read(log).contains("files in " + tmp), read(log));
      assertEquals(
          0, new ProcessBuilder("kill", "-INT", Long.toString(up.pid())).start().waitFor());
      assertTrue(up.waitFor(60, TimeUnit.SECONDS), "up exits after SIGINT");
      try (Stream<Path> left = Files.list(tmp)) {
        assertEquals(List.of(), left.toList(), read(log));
      }
      List<String> coturns =
          ProcessHandle.allProcesses()
              .filter(p -> p.info().commandLine().orElse("").contains(tmp.toString()))
              .map(p -> p.info().commandLine().orElse(""))
              .toList();
      assertEquals(List.of(), coturns, "the demo's servers stop with up");
    } finally {
      up.destroyForcibly().waitFor();
    }
  }

  /**
   * The INFO records of loggers outside our code (Jetty's start-up, gRPC's "Epoll available") in
   * {@code output}: up writes one line per record, "HH:mm:ss.SSS LEVEL logger: message".
   */
  private static List<String> librariesInfoLines(String output) {
    return output
        .lines()
        .filter(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO \\S+: .*"))
        .filter(line -> !line.split(" ")[2].startsWith("dev.hotpath."))
        .toList();
  }

  /**
   * Starts {@code up} on free ports in a JVM of its own, its output going to {@code log}; {@code
   * args} starting with {@code -D} are that JVM's system properties, the others {@code up}'s flags.
   */
  private static Process startUp(Path log, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
    Arrays.stream(args).filter(a -> a.startsWith("-D")).forEach(command::add);
    command.addAll(
        List.of(
            Main.class.getName(),
            "up",
            "--port",
            "0",
            "--datastore-port",
            "0",
            "--tasks-port",
            "0",
            "--worker-port",
            "0",
            "--status-port",
            "0"));
    Arrays.stream(args).filter(a -> !a.startsWith("-D")).forEach(command::add);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /**
   * Answers the Write API's URL once {@code up} has printed its banner to {@code log}. (Its output
   * goes to a file: a pipe read while the process exits can lose the last lines.)
   */
  private static String awaitBanner(Process up, Path log) throws Exception {
    Poll.until(
        "up prints its banner",
        Duration.ofSeconds(120),
        () -> {
          if (!up.isAlive()) {
            throw new AssertionError("up exited with " + up.exitValue() + ":\n" + read(log));
          }
          return read(log).contains("Press Ctrl+C");
        });
    String output = read(log);
    Matcher url = WRITE_API.matcher(output);
    assertTrue(url.find(), output);
    return url.group(1);
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /**
   * Counter {@code name} as the Write API reads it from the Datastore emulator restarted on {@code
   * data}.
   */
  private static long stored(Path data, String name) throws Exception {
    try (DatastoreEmulator emulator =
            DatastoreEmulator.builder().port(0).dataDir(data).build().start();
        FunctionServer api =
            FunctionServer.start(
                WriteApi.class,
                0,
                Map.of(
                    "DATASTORE_EMULATOR_HOST",
                    emulator.host(),
                    "GOOGLE_CLOUD_PROJECT",
                    "hotpath-local"))) {
      HttpJson.Reply counter = new HttpJson(api.url()).get("/v1/counters/" + name);
      assertEquals(200, counter.status(), counter.raw().body());
      return counter.body().get("value").getAsLong();
    }
  }
}
