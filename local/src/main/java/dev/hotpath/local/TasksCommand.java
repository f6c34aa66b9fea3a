package dev.hotpath.local;

import dev.hotpath.emulators.tasks.CloudTasksEmulator;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.flags.UsageException;
import dev.hotpath.shared.tasks.CloudTasksClients;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code tasks}: runs the Cloud Tasks emulator until interrupted. */
final class TasksCommand implements Command {
  private static final int DEFAULT_PORT = 8123;

  @Override
  public String name() {
    return "tasks";
  }

  @Override
  public String summary() {
    return "run the Cloud Tasks emulator (gRPC, dispatches HTTP tasks, serves a JWKS for OIDC)";
  }

  @Override
  public String help() {
    return "usage: java -jar hotpath-local.jar tasks [--port N] [--jwks-port N] [--queue NAME ...] [--data-dir DIR]\n\n"
        + "  --port N        gRPC port on localhost (default "
        + DEFAULT_PORT
        + "; 0 picks a free one)\n"
        + "  --jwks-port N   HTTP port of /.well-known/jwks.json (default: --port + 1)\n"
        + "  --queue NAME    create projects/P/locations/L/queues/Q at start with production defaults;\n"
        + "                  repeat for more queues\n"
        + "  --data-dir DIR  keep queues, tasks and the token signing key in DIR across restarts\n"
        + "                  (default: memory only)\n\n"
        + "Point the project's code at it with the printed "
        + CloudTasksClients.EMULATOR_HOST
        + ".\n"
        + "Runs until interrupted (Ctrl-C).\n";
  }

  @Override
  public int run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, Set.of("port", "jwks-port", "queue", "data-dir"), Set.of());
    if (!flags.positional().isEmpty()) {
      throw new UsageException("unexpected argument '" + flags.positional().get(0) + "'");
    }
    int port = flags.port("port", DEFAULT_PORT);
    CloudTasksEmulator.Builder builder = CloudTasksEmulator.builder().port(port);
    if (flags.has("jwks-port")) {
      builder.jwksPort(flags.port("jwks-port", 0));
    }
    if (flags.has("data-dir")) {
      builder.dataDir(Path.of(flags.string("data-dir", null)));
    }
    for (String queue : flags.all("queue")) {
      try {
        builder.queue(queue);
      } catch (RuntimeException e) {
        throw new UsageException("--queue: " + e.getMessage());
      }
    }
    CloudTasksEmulator emulator = builder.build();
    emulator.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  stopped.countDown();
                },
                "tasks-emulator-shutdown"));

    System.out.println(
        "Cloud Tasks emulator listening on " + emulator.host() + " (gRPC, plaintext)");
    System.out.println("export " + CloudTasksClients.EMULATOR_HOST + "=" + emulator.host());
    System.out.println("JWKS (verifies the OIDC tokens it sends): " + emulator.jwksUrl());
    flags.all("queue").forEach(q -> System.out.println("queue: " + q));
    System.out.flush();
    stopped.await();
    return 0;
  }
}
