package dev.hotpath.shared.turn.loopback;

import dev.hotpath.shared.turn.probe.ProbeFailure;
import dev.hotpath.shared.turn.probe.StunUdpProbe;
import dev.hotpath.shared.turn.probe.UdpRetransmission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A real coturn on 127.0.0.1 for tests and benchmarks. It is started by a shell script that also
 * serves as the SSH restart command, so "restart over SSH" restarts exactly this server. Runs over
 * SSH are counted in {@code restarts.log} (the script sees {@code SSH_CONNECTION}).
 */
public final class LocalCoturn implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  private final int port;
  private final Path restartScript;

  private LocalCoturn(Path dir, int port, Path restartScript) {
    this.dir = dir;
    this.port = port;
    this.restartScript = restartScript;
  }

  /**
   * Writes the restart script into {@code dir} and starts coturn with it.
   *
   * @param udpOnly start with {@code --no-tcp}
   */
  public static LocalCoturn start(Path dir, boolean udpOnly) throws IOException, InterruptedException {
    Path turnserver = SystemBinaries.turnserver()
        .orElseThrow(() -> new IOException("turnserver not installed: " + SystemBinaries.INSTALL_HINT));
    Files.createDirectories(dir);
    int port = FreePort.tcpAndUdp();
    String args = String.join(" ", List.of(
        "-n", "--listening-ip=127.0.0.1", "--listening-port=" + port, "--relay-ip=127.0.0.1",
        "--no-tls", "--no-dtls", "--no-cli", "--lt-cred-mech",
        // A random password nobody uses: the probes never authenticate, they only need the 401.
        "--user=probe:" + UUID.randomUUID(), "--realm=hotpath.test",
        "--userdb=" + dir.resolve("turndb"), "--pidfile=" + dir.resolve("coturn.pid"),
        "--log-file=stdout", "--simple-log", udpOnly ? "--no-tcp" : ""));
    Path script = dir.resolve("restart-coturn.sh");
    LocalProcesses.writeExecutable(script, String.join("\n",
        "#!/bin/sh",
        "# Restarts the loopback coturn of " + dir + ": kills the running one, starts a new one.",
        "dir='" + dir + "'",
        "if [ -n \"$SSH_CONNECTION\" ]; then echo \"$(date +%s%N)\" >> \"$dir/restarts.log\"; fi",
        "if [ -f \"$dir/pid\" ]; then",
        "  old=$(cat \"$dir/pid\"); kill -9 \"$old\" 2>/dev/null",
        "  while kill -0 \"$old\" 2>/dev/null; do sleep 0.05; done",
        "fi",
        "'" + turnserver + "' " + args + " >> \"$dir/turnserver.log\" 2>&1 < /dev/null &",
        "echo $! > \"$dir/pid\"",
        ""));
    LocalCoturn coturn = new LocalCoturn(dir, port, script);
    coturn.restartLocally();
    return coturn;
  }

  /** Runs the restart script here (not over SSH) and waits until coturn answers: an operator's fix. */
  public void restartLocally() throws IOException, InterruptedException {
    LocalProcesses.run(List.of(restartScript.toString()), Duration.ofSeconds(10));
    awaitReady(READY_TIMEOUT);
  }

  public int port() {
    return port;
  }

  /** The command that restarts this coturn (what the watchdog runs over SSH). */
  public String restartCommand() {
    return restartScript.toString();
  }

  /** Kills coturn with SIGKILL and waits until it is gone: a crash, as the watchdog sees it. */
  public void kill() throws IOException {
    Optional<ProcessHandle> process = process();
    if (process.isPresent()) {
      process.get().destroyForcibly();
      process.get().onExit().join();
    }
  }

  public boolean isRunning() throws IOException {
    return process().map(ProcessHandle::isAlive).orElse(false);
  }

  /** How many times the restart script ran over SSH. */
  public int sshRestarts() throws IOException {
    Path log = dir.resolve("restarts.log");
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  /** Waits until coturn answers a STUN Binding request over UDP. */
  public void awaitReady(Duration timeout) throws IOException, InterruptedException {
    StunUdpProbe probe = new StunUdpProbe("127.0.0.1", port, UdpRetransmission.RFC_5389);
    LocalProcesses.await(() -> {
      try {
        probe.attempt(Duration.ofMillis(300));
        return true;
      } catch (ProbeFailure e) {
        return false;
      }
    }, timeout, "coturn on port " + port + " (log: " + dir.resolve("turnserver.log") + ")");
  }

  @Override
  public void close() throws IOException {
    kill();
  }

  private Optional<ProcessHandle> process() throws IOException {
    Path pidFile = dir.resolve("pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    String pid = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
    return pid.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(pid));
  }
}
