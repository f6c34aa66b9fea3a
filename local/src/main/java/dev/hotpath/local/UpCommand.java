package dev.hotpath.local;

import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.flags.DatastoreFlags;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.flags.UsageException;
import dev.hotpath.local.stack.ConsoleLogs;
import dev.hotpath.local.stack.CronSchedule;
import dev.hotpath.local.stack.DatastorePart;
import dev.hotpath.local.stack.FunctionPart;
import dev.hotpath.local.stack.GoogleDatastorePart;
import dev.hotpath.local.stack.LocalStack;
import dev.hotpath.local.stack.OperationsPart;
import dev.hotpath.local.stack.PortCheck;
import dev.hotpath.local.stack.StackPart;
import dev.hotpath.local.stack.StartupLogs;
import dev.hotpath.local.stack.StatusPagePart;
import dev.hotpath.local.stack.SweepPart;
import dev.hotpath.local.stack.WatchdogPart;
import dev.hotpath.shared.config.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code up}: the whole local stack in one process — the Datastore emulator and the functions,
 * served by the Functions Framework invoker — until Ctrl+C. Each piece is a {@link StackPart};
 * adding one to the stack is one entry in {@link #parts}.
 */
final class UpCommand implements Command {
  static final Set<String> VALUED =
      Set.of(
          "port",
          "bind",
          "datastore-port",
          "datastore-backend",
          "tasks-port",
          "worker-port",
          "watchdog-port",
          "status-port",
          "watchdog-schedule",
          "turn-targets",
          "turn-ssh-key",
          "project",
          "data-dir",
          "indexes",
          "commit-latency-ms");
  static final Set<String> SWITCHES = Set.of("production-limits", "turn-demo");

  private final Map<String, String> processEnv;

  UpCommand() {
    this(System.getenv());
  }

  /**
   * @param processEnv the environment the functions inherit (a test's map instead of the process's)
   */
  UpCommand(Map<String, String> processEnv) {
    this.processEnv = Map.copyOf(processEnv);
  }

  @Override
  public String name() {
    return "up";
  }

  @Override
  public String summary() {
    return "run the local stack: emulators, Write API, worker, TURN watchdog (Ctrl+C stops it)";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar up [FLAGS]

        Starts the Datastore emulator, the Cloud Tasks emulator with the operations queue, the
        DeferredUpdateWorker, the Write API with a scheduler that sweeps stranded operations every
        minute, and, when TURN targets are given, the TURN watchdog
        with a scheduler that POSTs to it (all functions served by the Functions Framework
        invoker); prints their URLs and curl examples, and runs until Ctrl+C or SIGTERM, which stop
        it gracefully: no new connections, requests in flight answered (up to 8 s per function),
        then the emulators stop. A bad setting, file or port stops it before it serves anything,
        with a message naming the culprit. The functions get
        this process's environment plus the emulators' addresses, GOOGLE_CLOUD_PROJECT and,
        unless set, HOTPATH_ALLOWED_KINDS=Message and HOTPATH_OPERATION_KINDS=User,Friendship,Team.

          --port N                Write API port (default 8080)
          --bind ADDRESS          address the Write API listens on (default 127.0.0.1, loopback:
                                  only this machine can call it; 0.0.0.0: every interface — it
                                  has no authentication). Everything else stays on loopback.
          --datastore-port N      Datastore emulator port (default 8081)
          --datastore-backend B   hotpath (ours, default), google-datastore (Google's Datastore
                                  emulator in Firestore-in-Datastore mode) or google-firestore
                                  (Google's Firestore emulator in Datastore mode); Google's are
                                  found on the google-cloud-cli path or via
                                  HOTPATH_GOOGLE_DATASTORE_EMULATOR / HOTPATH_GOOGLE_FIRESTORE_EMULATOR
          --worker-port N         DeferredUpdateWorker port (default 8082)
          --tasks-port N          Cloud Tasks emulator port (default 8123; its JWKS on N+1)
          --watchdog-port N       TURN watchdog port (default 8083)
          --status-port N         status page port (default 8084; loopback only): counters and
                                  groups written recently, operations by state, TURN targets;
                                  the same figures as JSON at /status.json
          --watchdog-schedule C   cron schedule of the watchdog's rounds (default "* * * * *")
          --turn-targets FILE     TURN_TARGETS JSON from FILE (default: the TURN_TARGETS variable;
                                  neither: the watchdog stays off)
          --turn-ssh-key FILE     TURN_SSH_PRIVATE_KEY from FILE (default: the variable)
          --turn-demo             watch a loopback coturn (REST secret, TLS) restarted through a
                                  loopback sshd, both started here (needs coturn, openssh-server)
          --project ID            project id the functions use (default hotpath-local)
          --production-limits     emulate production's ~1 write/s per entity (ABORTED beyond)
          --commit-latency-ms N   add N ms to every Datastore commit, a production round trip
                                  (default 0)
          --data-dir DIR          keep the emulators' data (entities; queues, tasks, signing key) in
                                  DIR across restarts (default: memory)
          --indexes FILE          enforce the composite indexes FILE defines (terraform/indexes.json)
                                  for the functions' settings, as production does
        """;
  }

  @Override
  public int run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, VALUED, SWITCHES);
    if (!flags.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + flags.positional().get(0) + "'");
    }
    if (System.getProperty("http.maxConnections") == null) {
      // The Datastore client keeps only 5 idle connections per host by default.
      System.setProperty("http.maxConnections", "128");
    }
    StartupLogs.quiet();
    ConsoleLogs.oneLinePerRecord();
    Map<String, String> env = functionEnv(flags, processEnv);
    List<StackPart> parts = parts(flags);
    PortCheck.requireFree(ports(flags, WatchdogPart.configured(env) || flags.has("turn-demo")));
    LocalStack stack = LocalStack.start(parts, env);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.println(
                      "hotpath-local up: stopping (requests in flight are answered first)");
                  stack.close();
                  System.err.println("hotpath-local up: stopped");
                },
                "up-shutdown"));
    stack.banner().forEach(System.out::println);
    System.out.println("Press Ctrl+C to stop.");
    System.out.flush();
    new CountDownLatch(1).await(); // serve until interrupted; the hook stops every part
    return 0;
  }

  /**
   * What the functions see: {@code processEnv}, the project, a kind to try groups with, and the
   * TURN settings read from the files the flags name.
   */
  static Map<String, String> functionEnv(Flags flags, Map<String, String> processEnv)
      throws UsageException {
    Map<String, String> env = new HashMap<>(processEnv);
    env.put(Settings.PROJECT.name(), flags.string("project", "hotpath-local"));
    env.putIfAbsent(Settings.ALLOWED_KINDS.name(), "Message");
    putFile(env, Settings.TURN_TARGETS.name(), flags, "turn-targets");
    putFile(env, Settings.TURN_SSH_PRIVATE_KEY.name(), flags, "turn-ssh-key");
    if (WatchdogPart.configured(env)
        && env.getOrDefault(Settings.TURN_SSH_PRIVATE_KEY.name(), "").isBlank()) {
      throw new UsageException(
          (flags.has("turn-targets") ? "--turn-targets" : Settings.TURN_TARGETS.name())
              + " needs the watchdog's SSH key: --turn-ssh-key FILE (or "
              + Settings.TURN_SSH_PRIVATE_KEY.name()
              + "), an unencrypted"
              + " OpenSSH or PEM private key the targets' ssh.user accepts");
    }
    return env;
  }

  private static void putFile(Map<String, String> env, String variable, Flags flags, String flag)
      throws UsageException {
    String file = flags.string(flag, null);
    if (file == null) {
      return;
    }
    try {
      env.put(variable, Files.readString(Path.of(file)));
    } catch (IOException e) {
      throw new UsageException("--" + flag + ": cannot read " + file + ": " + describe(e));
    }
  }

  /** An I/O failure in words: the exception's own text is often just the path again. */
  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The stack, in start order: emulators first, then the functions that use them. */
  static List<StackPart> parts(Flags flags) throws UsageException {
    int datastorePort = flags.port("datastore-port", 8081);
    int apiPort = flags.port("port", 8080);
    Optional<Path> dataDir = dataDir(flags);
    CronSchedule schedule;
    try {
      schedule = CronSchedule.parse(flags.string("watchdog-schedule", "* * * * *"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--watchdog-schedule: " + e.getMessage());
    }
    FunctionPart writeApi =
        new FunctionPart(
            "Write API", WriteApi.class, bindAddress(flags), apiPort, UpCommand::writeApiExamples);
    WatchdogPart watchdog =
        new WatchdogPart(flags.port("watchdog-port", 8083), schedule, flags.has("turn-demo"));
    return List.of(
        datastorePart(flags, datastorePort, dataDir),
        new OperationsPart(
            flags.port("tasks-port", 8123), flags.port("worker-port", 8082), dataDir),
        writeApi,
        new SweepPart(writeApi, SweepPart.SCHEDULE),
        watchdog,
        new StatusPagePart(flags.port("status-port", 8084), watchdog));
  }

  /**
   * Every port {@code up} will listen on, with the flag that sets it, so a port in use is named
   * with the flag that moves it before anything starts.
   */
  static List<PortCheck.Wanted> ports(Flags flags, boolean watchdog) throws UsageException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    int tasks = flags.port("tasks-port", 8123);
    if (tasks == 65535) {
      throw new UsageException(
          "--tasks-port must be at most 65534: the Cloud Tasks emulator's JWKS takes the next port");
    }
    List<PortCheck.Wanted> wanted =
        new ArrayList<>(
            List.of(
                new PortCheck.Wanted(
                    bindAddress(flags), flags.port("port", 8080), "--port", "the Write API"),
                new PortCheck.Wanted(
                    loopback,
                    flags.port("datastore-port", 8081),
                    "--datastore-port",
                    "the Datastore emulator"),
                new PortCheck.Wanted(loopback, tasks, "--tasks-port", "the Cloud Tasks emulator"),
                new PortCheck.Wanted(
                    loopback,
                    tasks == 0 ? 0 : tasks + 1,
                    "--tasks-port",
                    "the Cloud Tasks emulator's JWKS, always --tasks-port + 1"),
                new PortCheck.Wanted(
                    loopback,
                    flags.port("worker-port", 8082),
                    "--worker-port",
                    "the DeferredUpdateWorker"),
                new PortCheck.Wanted(
                    loopback,
                    flags.port("status-port", 8084),
                    "--status-port",
                    "the status page")));
    if (watchdog) {
      wanted.add(
          new PortCheck.Wanted(
              loopback, flags.port("watchdog-port", 8083), "--watchdog-port", "the TURN watchdog"));
    }
    return wanted;
  }

  /** {@code --bind}: loopback unless the user opens the Write API to the network. */
  static InetAddress bindAddress(Flags flags) throws UsageException {
    String given = flags.string("bind", null);
    if (given == null) {
      return InetAddress.getLoopbackAddress();
    }
    try {
      InetAddress address = InetAddress.getByName(given);
      if (!address.isAnyLocalAddress() && NetworkInterface.getByInetAddress(address) == null) {
        throw new UsageException(
            "--bind "
                + given
                + ": not an address of this machine; give one of its IP addresses,"
                + " 127.0.0.1 (the default) or 0.0.0.0 (every interface)");
      }
      return address;
    } catch (IOException e) {
      throw new UsageException(
          "--bind "
              + given
              + ": not an IP address or host name of this machine ("
              + e.getMessage()
              + "); give e.g. 127.0.0.1 (the default) or 0.0.0.0 (every interface)");
    }
  }

  private static Optional<Path> dataDir(Flags flags) throws UsageException {
    Optional<Path> dir = Optional.ofNullable(flags.string("data-dir", null)).map(Path::of);
    if (dir.isPresent() && Files.exists(dir.get()) && !Files.isDirectory(dir.get())) {
      throw new UsageException(
          "--data-dir " + dir.get() + ": is a file; give a directory (created if missing)");
    }
    return dir;
  }

  private static StackPart datastorePart(Flags flags, int port, Optional<Path> dataDir)
      throws UsageException {
    DatastoreBackend backend;
    try {
      backend = DatastoreBackend.parse(flags.string("datastore-backend", "hotpath"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--datastore-backend: " + e.getMessage());
    }
    if (!backend.isGoogle()) {
      return new DatastorePart(
          port,
          flags.has("production-limits"),
          dataDir,
          Optional.ofNullable(flags.string("indexes", null)).map(Path::of),
          DatastoreFlags.commitLatency(flags));
    }
    for (String oursOnly :
        List.of("production-limits", "data-dir", "indexes", "commit-latency-ms")) {
      if (flags.has(oursOnly)) {
        throw new UsageException(
            "--" + oursOnly + " needs our emulator (--datastore-backend hotpath)");
      }
    }
    try {
      if (backend.launcher(System.getenv()).isEmpty()) {
        throw new UsageException(
            "--datastore-backend " + backend.id() + ": not installed at " + backend.whereLooked());
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("--datastore-backend " + backend.id() + ": " + e.getMessage());
    }
    return new GoogleDatastorePart(backend, port);
  }

  static List<String> writeApiExamples(String url) {
    String json = "-H 'Content-Type: application/json'";
    List<String> lines =
        new ArrayList<>(
            List.of(
                "curl -X POST "
                    + json
                    + " -d '{\"delta\": 1}' "
                    + url
                    + "/v1/counters/likes:increment",
                "curl " + url + "/v1/counters/likes",
                "curl -X POST "
                    + json
                    + " -d '{\"properties\": {\"text\": \"hi\"}}' "
                    + url
                    + "/v1/groups/user-1/entities/Message",
                "curl '" + url + "/v1/groups/user-1/entities/Message?pageSize=10'"));
    lines.addAll(OperationsPart.examples(url));
    return lines;
  }
}
