package dev.hotpath.emulators.datastore.backend;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One of Google's Datastore emulators as a child process on loopback, in memory: started with its
 * documented command, ready once its health check ({@code GET /}) answers, emptied with {@code POST
 * /reset}, and stopped with its whole process tree (the launcher is a shell script that starts a
 * JVM).
 */
public final class GoogleEmulator implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final DatastoreBackend backend;
  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Stops the emulator should this JVM exit without {@link #close()} (a killed test run). */
  private final Thread stopOnExit = new Thread(this::stop, "google-emulator-stop");

  private GoogleEmulator(DatastoreBackend backend, Process process, Path log, int port) {
    this.backend = backend;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code backend} on {@code port} (0: a free one) and waits until it serves.
   *
   * @throws IOException naming the launcher, port and log when it is not installed, exits, or does
   *     not answer in time
   */
  public static GoogleEmulator start(DatastoreBackend backend, int port, Map<String, String> env)
      throws IOException, InterruptedException {
    Path launcher =
        backend
            .launcher(env)
            .orElseThrow(
                () ->
                    new IOException(
                        backend.id()
                            + ": Google's emulator is not installed at "
                            + backend.whereLooked()));
    if (port != 0) {
      return start(backend, launcher, port);
    }
    // A free port found here may be taken before the emulator binds it (it also binds a second,
    // random port of its own): try a few.
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return start(backend, launcher, freePort());
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private static GoogleEmulator start(DatastoreBackend backend, Path launcher, int chosen)
      throws IOException, InterruptedException {
    // Google's Datastore emulator writes WEB-INF/appengine-generated/ into its working directory:
    // a scratch directory of its own keeps that out of the caller's tree.
    Path dir = Files.createTempDirectory("hotpath-" + backend.id() + "-");
    Path log = dir.resolve("emulator.log");
    Process process =
        new ProcessBuilder(backend.command(launcher, chosen))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    process.getOutputStream().close();
    GoogleEmulator emulator = new GoogleEmulator(backend, process, log, chosen);
    Runtime.getRuntime().addShutdownHook(emulator.stopOnExit);
    try {
      emulator.awaitHealthy(launcher);
    } catch (IOException | InterruptedException | RuntimeException e) {
      emulator.close();
      throw e;
    }
    return emulator;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void awaitHealthy(Path launcher) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            backend.id()
                + ": "
                + launcher
                + " exited with "
                + process.exitValue()
                + " before serving port "
                + port
                + "; its output: "
                + tail());
      }
      try {
        HttpResponse<String> ok =
            http.send(
                HttpRequest.newBuilder(uri("/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (ok.statusCode() == 200) {
          return;
        }
      } catch (ConnectException e) {
        // not listening yet
      }
      process.waitFor(100, TimeUnit.MILLISECONDS); // returns early if it dies
    }
    throw new IOException(
        backend.id()
            + ": "
            + launcher
            + " did not answer on port "
            + port
            + " within "
            + START_TIMEOUT.toSeconds()
            + " s; its output: "
            + tail());
  }

  public DatastoreBackend backend() {
    return backend;
  }

  /** {@code localhost:PORT}, the value for DATASTORE_EMULATOR_HOST. */
  public String host() {
    return "localhost:" + port;
  }

  public int port() {
    return port;
  }

  /** The process (the launcher script) and its JVM, e.g. to measure their CPU time. */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** Deletes all data: the emulators' documented {@code POST /reset}. */
  public void reset() throws IOException, InterruptedException {
    HttpResponse<String> reply =
        http.send(
            HttpRequest.newBuilder(uri("/reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      throw new IOException(
          backend.id() + ": POST /reset answered " + reply.statusCode() + ": " + reply.body());
    }
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private String tail() {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() > 2000 ? "…" + text.substring(text.length() - 2000) : text;
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** Stops the JVM and its launcher and removes its scratch directory. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs stop() itself
    }
    stop();
  }

  private void stop() {
    // Listed first: once the launcher is gone its JVM is re-parented and no longer a descendant.
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      } catch (ExecutionException | TimeoutException e) {
        p.destroyForcibly();
      }
    }
    try (Stream<Path> files = Files.walk(log.getParent())) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a scratch directory; nothing depends on it
    }
  }
}
