package dev.hotpath.local.stack;

import com.google.cloud.functions.HttpFunction;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One function in a JVM of its own, as Cloud Functions runs it: the Functions Framework invoker
 * (from this process's class path) loading the function from the deployable jar with {@code
 * --classpath}, so the function sees only its own jar and the Functions Framework API. Output goes
 * to a temporary log file, named if the process fails to start; the process is stopped on close or,
 * failing that, when this JVM exits.
 */
public final class FunctionProcess implements AutoCloseable {
  private static final String INVOKER = "com.google.cloud.functions.invoker.runner.Invoker";

  private final Process process;
  private final int port;
  private final Path log;
  private final Thread stopAtExit;

  private FunctionProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.stopAtExit = new Thread(process::destroyForcibly, "stop-function-process");
    Runtime.getRuntime().addShutdownHook(stopAtExit);
  }

  /**
   * Starts serving {@code function} from {@code functionsJar} on a free loopback port; returns at
   * once (see {@link #awaitListening}).
   *
   * @param env variables the function sees in addition to this process's environment
   */
  public static FunctionProcess start(
      Class<? extends HttpFunction> function, Path functionsJar, Map<String, String> env)
      throws IOException {
    int port = FunctionServer.freePort();
    Path log =
        Files.createTempFile("hotpath-" + function.getSimpleName() + "-" + port + "-", ".log");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // Sized as Terraform deploys a Write API instance by default (write_api_vcpus = 1,
            // write_api_memory_mib = 1024): the JVM's ergonomics — garbage collector, JIT
            // compiler threads, pool sizes — see one CPU, as in a 1-vCPU Cloud Run instance,
            // instead of every process on the machine sizing itself for all of its cores.
            "-XX:ActiveProcessorCount=1",
            "-Xmx1g",
            // The Datastore client keeps only 5 idle connections per host by default.
            "-Dhttp.maxConnections=256",
            "-cp",
            System.getProperty("java.class.path"),
            INVOKER,
            "--classpath",
            functionsJar.toString(),
            "--target",
            function.getName(),
            "--port",
            Integer.toString(port));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new FunctionProcess(builder.start(), port, log);
  }

  /** The CPU time the process has used so far (user and system), as the OS reports it. */
  public Duration cpuTime() {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** The CPU time of the process's JIT compiler threads so far; empty where it cannot be read. */
  public Optional<Duration> compilerCpuTime() {
    return ThreadCpu.of(process.pid(), ThreadCpu.JIT_COMPILER);
  }

  /** Waits until the invoker accepts connections; fails with its output if it exits first. */
  public void awaitListening(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(
            "the function process exited with "
                + process.exitValue()
                + "; its output:\n"
                + output());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "the function process did not listen on port "
                  + port
                  + " within "
                  + timeout
                  + "; its output is in "
                  + log);
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  public String url() {
    return "http://localhost:" + port;
  }

  /** Everything the process has written so far (its stdout and stderr), line by line. */
  public List<String> outputLines() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  private String output() throws IOException {
    String all = Files.readString(log, StandardCharsets.UTF_8);
    return all.length() <= 4000 ? all : "…" + all.substring(all.length() - 4000);
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    Runtime.getRuntime().removeShutdownHook(stopAtExit);
    Files.deleteIfExists(log);
  }
}
