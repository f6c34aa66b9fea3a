package dev.hotpath.testsupport.turn;

import dev.hotpath.testsupport.Poll;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real coturn on 127.0.0.1 for tests and benchmarks. It is started by a shell script that also
 * serves as the SSH restart command, so "restart over SSH" restarts exactly this server. Runs over
 * SSH are counted in {@code restarts.log} (the script sees {@code SSH_CONNECTION}).
 */
public final class LocalCoturn implements AutoCloseable {
  /** The realm coturn challenges with. */
  public static final String REALM = "hotpath.test";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  private final int port;
  private final int tlsPort;
  private final Path restartScript;
  private final Path turnserver;
  private final int minRelayPort;
  private Options options;

  private LocalCoturn(
      Path dir, int port, int tlsPort, int minRelayPort, Path restartScript, Path turnserver) {
    this.dir = dir;
    this.port = port;
    this.tlsPort = tlsPort;
    this.minRelayPort = minRelayPort;
    this.restartScript = restartScript;
    this.turnserver = turnserver;
  }

  /**
   * How coturn runs; {@link #reconfigure} restarts it with others on the same ports.
   *
   * @param udpOnly start with {@code --no-tcp}
   * @param restSecret TURN REST API secret ({@code --use-auth-secret}); null: a long-term user with
   *     a random password nobody uses, enough for the unauthenticated probes' 401
   * @param tls certificate for TURN over TLS on {@link #tlsPort()}; null: no TLS
   * @param relayPorts how many relay ports ({@code --min-port}/{@code --max-port}); 0: coturn's
   *     range
   * @param relayIp the address relays are opened on; another loopback address than the prober's
   *     127.0.0.1 lets a peer policy tell relays and the prober apart
   * @param extraArgs further turnserver options, for a server set up wrong on purpose (e.g. {@code
   *     --denied-peer-ip=…}, {@code --no-udp-relay}, {@code --user-quota=…})
   */
  public record Options(
      boolean udpOnly,
      String restSecret,
      LocalTlsCertificate tls,
      int relayPorts,
      String relayIp,
      List<String> extraArgs) {
    public static final Options DEFAULT = new Options(false, null, null, 0, "127.0.0.1", List.of());

    public Options {
      extraArgs = List.copyOf(extraArgs);
    }

    public Options withRestSecret(String secret) {
      return new Options(udpOnly, secret, tls, relayPorts, relayIp, extraArgs);
    }

    public Options withTls(LocalTlsCertificate certificate) {
      return new Options(udpOnly, restSecret, certificate, relayPorts, relayIp, extraArgs);
    }

    public Options withRelayPorts(int count) {
      return new Options(udpOnly, restSecret, tls, count, relayIp, extraArgs);
    }

    public Options withRelayIp(String ip) {
      return new Options(udpOnly, restSecret, tls, relayPorts, ip, extraArgs);
    }

    /** These options plus {@code args} (turnserver's long options, e.g. "--no-udp-relay"). */
    public Options withArgs(String... args) {
      List<String> all = new ArrayList<>(extraArgs);
      all.addAll(List.of(args));
      return new Options(udpOnly, restSecret, tls, relayPorts, relayIp, all);
    }

    @Override
    public String toString() {
      return "Options{udpOnly="
          + udpOnly
          + ", restSecret="
          + (restSecret == null ? "none" : "<redacted>")
          + ", tls="
          + (tls != null)
          + ", relayPorts="
          + relayPorts
          + ", relayIp="
          + relayIp
          + ", extraArgs="
          + extraArgs
          + "}";
    }
  }

  /**
   * Writes the restart script into {@code dir} and starts coturn with it.
   *
   * @param udpOnly start with {@code --no-tcp}
   */
  public static LocalCoturn start(Path dir, boolean udpOnly)
      throws IOException, InterruptedException {
    return start(dir, new Options(udpOnly, null, null, 0, "127.0.0.1", List.of()));
  }

  /** Writes the restart script into {@code dir} and starts coturn with {@code options}. */
  public static LocalCoturn start(Path dir, Options options)
      throws IOException, InterruptedException {
    Path turnserver =
        SystemBinaries.turnserver()
            .orElseThrow(
                () -> new IOException("turnserver not installed: " + SystemBinaries.INSTALL_HINT));
    Files.createDirectories(dir);
    int port = FreePort.tcpAndUdp();
    int tlsPort = FreePort.tcpAndUdp();
    LocalCoturn coturn =
        new LocalCoturn(
            dir, port, tlsPort, FreePort.tcpAndUdp(), dir.resolve("restart-coturn.sh"), turnserver);
    coturn.reconfigure(options);
    return coturn;
  }

  /**
   * Rewrites the restart script for {@code next} and restarts coturn with it, as an operator would.
   */
  public void reconfigure(Options next) throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-n",
                "--listening-ip=127.0.0.1",
                "--listening-port=" + port,
                "--relay-ip=" + next.relayIp(),
                "--no-dtls",
                "--no-cli",
                "--realm=" + REALM,
                // The relay probe's peers are the prober itself and the relays, here on loopback,
                // which coturn refuses by default.
                "--allow-loopback-peers",
                "--pidfile=" + dir.resolve("coturn.pid"),
                "--log-file=stdout",
                "--simple-log"));
    if (next.restSecret() != null) {
      args.addAll(List.of("--use-auth-secret", "--static-auth-secret=" + next.restSecret()));
    } else {
      // A random password nobody uses: the unauthenticated probes only need the 401.
      args.addAll(
          List.of(
              "--lt-cred-mech",
              "--user=probe:" + UUID.randomUUID(),
              "--userdb=" + dir.resolve("turndb")));
    }
    if (next.tls() != null) {
      args.addAll(
          List.of(
              "--tls-listening-port=" + tlsPort,
              "--cert=" + next.tls().certFile(),
              "--pkey=" + next.tls().keyFile()));
    } else {
      args.add("--no-tls");
    }
    if (next.relayPorts() > 0) {
      args.addAll(
          List.of(
              "--min-port=" + minRelayPort,
              "--max-port=" + (minRelayPort + next.relayPorts() - 1)));
    }
    if (next.udpOnly()) {
      args.add("--no-tcp");
    }
    args.addAll(next.extraArgs());
    LocalProcesses.writeExecutable(
        restartScript,
        String.join(
            "\n",
            "#!/bin/sh",
            "# Restarts the loopback coturn of "
                + dir
                + ": kills the running one, starts a new one.",
            "dir='" + dir + "'",
            "if [ -n \"$SSH_CONNECTION\" ]; then echo \"$(date +%s%N)\" >> \"$dir/restarts.log\"; fi",
            "if [ -f \"$dir/pid\" ]; then",
            "  old=$(cat \"$dir/pid\"); kill -9 \"$old\" 2>/dev/null",
            "  while kill -0 \"$old\" 2>/dev/null; do sleep 0.05; done",
            "fi",
            "'"
                + turnserver
                + "' "
                + String.join(" ", args)
                + " >> \"$dir/turnserver.log\" 2>&1 < /dev/null &",
            "echo $! > \"$dir/pid\"",
            ""));
    options = next;
    restartLocally();
  }

  public Options options() {
    return options;
  }

  /** The TURN-over-TLS port (listening only when started with a certificate). */
  public int tlsPort() {
    return tlsPort;
  }

  /** Freezes coturn with SIGSTOP: it holds its ports but answers nothing, as a hung server does. */
  public void freeze() throws IOException, InterruptedException {
    Optional<ProcessHandle> process = process();
    if (process.isPresent()) {
      long pid = process.get().pid();
      LocalProcesses.run(List.of("kill", "-STOP", String.valueOf(pid)), Duration.ofSeconds(10));
      // kill returns once the signal is queued; on a busy machine a thread of coturn may still
      // answer a probe before it stops. Frozen means every thread is in state T.
      Poll.until(
          "coturn (pid " + pid + ") stopped by SIGSTOP",
          Duration.ofSeconds(10),
          () -> allThreadsStopped(pid));
    }
  }

  private static boolean allThreadsStopped(long pid) throws IOException {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return true; // not Linux's /proc: the signal is all we can do
    }
    try (var threads = Files.list(tasks)) {
      for (Path thread : (Iterable<Path>) threads::iterator) {
        String stat = Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII);
        char state = stat.charAt(stat.lastIndexOf(')') + 2); // the field after the command name
        if (state != 'T' && state != 't') {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Runs the restart script here (not over SSH) and waits until coturn answers: an operator's fix.
   */
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

  /**
   * Waits until coturn answers a STUN Binding request over UDP. The check is written here rather
   * than borrowed from the probes under test, so a fixture never depends on the code it tests.
   */
  public void awaitReady(Duration timeout) throws IOException, InterruptedException {
    LocalProcesses.await(
        this::answersStunBinding,
        timeout,
        "coturn on port " + port + " (log: " + dir.resolve("turnserver.log") + ")");
  }

  /** One RFC 5389 Binding request; true when a response with the same transaction id comes back. */
  private boolean answersStunBinding() {
    byte[] transactionId = new byte[12];
    ThreadLocalRandom.current().nextBytes(transactionId);
    byte[] request =
        ByteBuffer.allocate(20)
            .putShort((short) 0x0001) // Binding request
            .putShort((short) 0) // no attributes
            .putInt(0x2112A442) // magic cookie
            .put(transactionId)
            .array();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(300);
      socket.send(
          new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
      DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
      socket.receive(answer);
      return answer.getLength() >= 20
          && Arrays.equals(answer.getData(), 8, 20, transactionId, 0, 12);
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // ICMP port unreachable while coturn is not yet bound
      return false;
    }
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
