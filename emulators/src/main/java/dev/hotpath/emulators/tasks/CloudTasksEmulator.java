package dev.hotpath.emulators.tasks;

import com.google.cloud.tasks.v2.Queue;
import dev.hotpath.emulators.tasks.dispatch.DispatchClock;
import dev.hotpath.emulators.tasks.dispatch.HttpDispatcher;
import dev.hotpath.emulators.tasks.engine.NameTombstones;
import dev.hotpath.emulators.tasks.engine.NewTaskValidator;
import dev.hotpath.emulators.tasks.engine.QueueRunner;
import dev.hotpath.emulators.tasks.engine.ResourceNames;
import dev.hotpath.emulators.tasks.engine.TasksDataDir;
import dev.hotpath.emulators.tasks.engine.TasksEngine;
import dev.hotpath.emulators.tasks.grpc.CloudTasksService;
import dev.hotpath.emulators.tasks.oidc.JwksServer;
import dev.hotpath.emulators.tasks.oidc.OidcTokenSigner;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A local Cloud Tasks: the {@code google.cloud.tasks.v2.CloudTasks} gRPC service on loopback that
 * the real {@code google-cloud-tasks} client talks to over plaintext, dispatching HTTP tasks to
 * their URLs like production, plus a JWKS endpoint for the OIDC tokens it signs.
 *
 * <pre>{@code
 * CloudTasksEmulator emu = CloudTasksEmulator.builder().port(8123).queue("projects/p/locations/l/queues/q").build();
 * emu.start();   // gRPC on localhost:8123, JWKS on http://localhost:8124/.well-known/jwks.json
 * }</pre>
 */
public final class CloudTasksEmulator implements AutoCloseable {
  /** The shortest dispatch deadline production accepts for HTTP targets. */
  public static final Duration PRODUCTION_DEADLINE_FLOOR = Duration.ofSeconds(15);

  private final Builder settings;
  private final HttpDispatcher dispatcher = new HttpDispatcher();
  private final TasksEngine engine;
  private final OidcTokenSigner signer;
  private final TasksDataDir data;
  private volatile Predicate<String> deliverTwice = name -> false;

  /**
   * While restoring (a partial state must not overwrite the saved one) and once closing (nor an
   * emptied one).
   */
  private volatile boolean saving;

  private Server server;
  private JwksServer jwks;

  private CloudTasksEmulator(Builder settings) {
    this.settings = settings;
    this.data = settings.dataDir == null ? null : new TasksDataDir(settings.dataDir);
    this.signer =
        data == null
            ? new OidcTokenSigner(settings.clock)
            : new OidcTokenSigner(settings.clock, data.signingKey());
    QueueRunner.Services services =
        new QueueRunner.Services(
            settings.clock,
            dispatcher,
            signer,
            new NameTombstones(),
            name -> deliverTwice.test(name),
            this::save);
    this.engine = new TasksEngine(services, new NewTaskValidator(settings.deadlineFloor));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Restores what the data directory holds, binds the gRPC and JWKS ports and creates the start-up
   * queues.
   */
  public synchronized void start() throws IOException {
    if (data != null) {
      engine.restore(data.load());
    }
    saving = true;
    server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port))
            // Every call is a short, non-blocking step under one queue's lock: running it on the
            // network thread saves a thread hop per call.
            .directExecutor()
            .addService(new CloudTasksService(engine))
            .build()
            .start();
    int jwksPort =
        settings.jwksPort >= 0 ? settings.jwksPort : settings.port == 0 ? 0 : settings.port + 1;
    try {
      jwks = new JwksServer(jwksPort, signer);
    } catch (IOException e) {
      server.shutdownNow();
      throw new IOException("cannot bind the JWKS port " + jwksPort + " (use --jwks-port)", e);
    }
    jwks.start();
    createStartupQueues();
    save();
  }

  /** Saves every queue and task to the data directory, if there is one (after every change). */
  private void save() {
    if (data != null && saving) {
      data.save(engine.snapshot());
    }
  }

  /** The gRPC port (the chosen one when built with port 0). */
  public int port() {
    return server.getPort();
  }

  /** {@code localhost:PORT}, the value for {@code CLOUD_TASKS_EMULATOR_HOST}. */
  public String host() {
    return "localhost:" + port();
  }

  public int jwksPort() {
    return jwks.port();
  }

  /**
   * {@code http://localhost:PORT/.well-known/jwks.json}: the public key of every OIDC token this
   * emulator signs.
   */
  public String jwksUrl() {
    return jwks.jwksUrl();
  }

  /**
   * Deletes every queue and task, forgets task names and the deliver-twice switch, recreates the
   * start-up queues.
   */
  public void reset() {
    deliverTwice = name -> false;
    engine.clear();
    createStartupQueues();
    save();
  }

  /**
   * The at-least-once switch: every task whose full name matches is delivered a second time after
   * its first successful delivery, so handlers' idempotency can be tested. Reset clears it.
   */
  public void deliverTwice(Predicate<String> taskNames) {
    deliverTwice = Objects.requireNonNull(taskNames);
  }

  private void createStartupQueues() {
    for (String name : settings.queues) {
      if (!engine.hasQueue(name)) { // restored from the data directory
        engine.createQueue(
            ResourceNames.locationOfQueue(name), Queue.newBuilder().setName(name).build());
      }
    }
  }

  @Override
  public synchronized void close() {
    saving = false; // what closing empties is still saved
    engine.close();
    if (jwks != null) {
      jwks.close();
    }
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    dispatcher.close();
  }

  /** Settings of a {@link CloudTasksEmulator}; every one has a working default. */
  public static final class Builder {
    private int port;
    private int jwksPort = -1;
    private DispatchClock clock = DispatchClock.system();
    private Duration deadlineFloor = PRODUCTION_DEADLINE_FLOOR;
    private Path dataDir;
    private final List<String> queues = new ArrayList<>();

    private Builder() {}

    /** The gRPC port on loopback; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The JWKS HTTP port; by default the gRPC port + 1, or a free one when the gRPC port is 0. */
    public Builder jwksPort(int jwksPort) {
      this.jwksPort = jwksPort;
      return this;
    }

    /** A queue with production defaults, created at start and again after every reset. */
    public Builder queue(String queueName) {
      queues.add(ResourceNames.queue(queueName));
      return this;
    }

    /** The clock behind schedules, backoff and rate limits; tests pass one they advance by hand. */
    public Builder clock(DispatchClock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * The shortest {@code dispatch_deadline} accepted, production's 15 s by default; tests lower it
     * to see a deadline expire without waiting 15 s.
     */
    public Builder dispatchDeadlineFloor(Duration floor) {
      this.deadlineFloor = Objects.requireNonNull(floor);
      return this;
    }

    /**
     * Keeps queues, tasks and the signing key in {@code dir} across restarts ({@link
     * TasksDataDir}); without it (the default) everything lives in memory only.
     */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir);
      return this;
    }

    public CloudTasksEmulator build() {
      return new CloudTasksEmulator(this);
    }
  }
}
