package dev.hotpath.emulators.datastore;

import dev.hotpath.emulators.datastore.engine.DatastoreEngine;
import dev.hotpath.emulators.datastore.engine.EmulatorStats;
import dev.hotpath.emulators.datastore.engine.Faults;
import dev.hotpath.emulators.datastore.engine.Ticker;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import dev.hotpath.emulators.datastore.grpc.DatastoreGrpcServer;
import dev.hotpath.emulators.datastore.http.DatastoreHttpServer;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.emulators.datastore.store.FileStorage;
import dev.hotpath.emulators.datastore.store.FsyncPolicy;
import dev.hotpath.emulators.datastore.store.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local Firestore-in-Datastore-mode that the real google-cloud-datastore client talks to,
 * in-process. Build it, {@link #start()} it, point the client at {@link #host()}. Its one port
 * serves protobuf over HTTP/1.1 (the Java client's default transport) and gRPC over HTTP/2
 * cleartext (every other client's, and the Java client's gRPC transport), as Google's do.
 *
 * <pre>{@code
 * DatastoreEmulator emu = DatastoreEmulator.builder().port(0).build();
 * emu.start();
 * Datastore ds = DatastoreOptions.newBuilder().setHost(emu.host()).setProjectId("p")
 *     .setCredentials(NoCredentials.getInstance()).build().getService();
 * }</pre>
 */
public final class DatastoreEmulator implements AutoCloseable {
  private final Builder config;
  private final DatastoreEngine engine;
  private final Storage storage;
  private DatastoreHttpServer server;
  private DatastoreGrpcServer grpcServer;
  private ScheduledExecutorService expiry;
  private boolean closed;

  private DatastoreEmulator(Builder config, Storage storage) {
    this.config = config;
    this.engine =
        new DatastoreEngine(
            storage,
            config.writeLimits,
            config.faults,
            config.transactionIdleTimeout,
            config.ticker);
    engine.setIndexes(config.indexes);
    engine.setCommitLatency(config.commitLatency);
    this.storage = storage;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Loads persisted data (with a data dir) and starts serving. */
  public synchronized DatastoreEmulator start() throws IOException {
    if (server != null || closed) {
      throw new IllegalStateException(closed ? "closed; build a new emulator" : "already started");
    }
    engine.load();
    server = new DatastoreHttpServer(engine, config.port, this::grpcAddress);
    server.start();
    expiry =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "datastore-transaction-expiry");
              t.setDaemon(true);
              return t;
            });
    expiry.scheduleWithFixedDelay(engine::expireTransactions, 1, 1, TimeUnit.SECONDS);
    return this;
  }

  /** The port it listens on (the real one when built with port 0); only after {@link #start()}. */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.port();
  }

  /** {@code localhost:PORT}, the value for DATASTORE_EMULATOR_HOST or DatastoreOptions.setHost. */
  public String host() {
    return "localhost:" + port();
  }

  /**
   * Where the public port relays HTTP/2 connections: a gRPC server on an internal loopback port,
   * started by the first gRPC client, so the many emulators that only ever see HTTP/1.1 (most
   * tests) pay nothing for it.
   */
  private synchronized InetSocketAddress grpcAddress() throws IOException {
    if (closed) {
      throw new IOException("closed");
    }
    if (grpcServer == null) {
      DatastoreGrpcServer started = new DatastoreGrpcServer(engine, 0, config.dataDir != null);
      started.start();
      grpcServer = started;
    }
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), grpcServer.port());
  }

  /** Deletes all data (also on disk), ends all transactions and zeroes {@link #stats()}. */
  public void reset() {
    try {
      engine.reset();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces the injected faults from the next call on (their random sequence restarts). */
  public void setFaults(Faults faults) {
    engine.setFaults(faults);
  }

  /** Replaces the write limits from the next commit on (every budget starts full). */
  public void setWriteLimits(WriteLimits limits) {
    engine.setWriteLimits(limits);
  }

  public EmulatorStats stats() {
    return engine.stats();
  }

  /** Stops serving and closes storage; everything acknowledged is on disk. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (grpcServer != null) {
      grpcServer.close();
      grpcServer = null;
    }
    if (server != null) {
      server.close();
      expiry.shutdownNow();
      server = null;
    }
    try {
      storage.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static final class Builder {
    private int port;
    private WriteLimits writeLimits = WriteLimits.unlimited();
    private Faults faults = Faults.none();
    private Path dataDir;
    private FsyncPolicy fsync = FsyncPolicy.ALWAYS;
    private Duration transactionIdleTimeout = Duration.ofSeconds(60);
    private CompositeIndexes indexes;
    private Duration commitLatency = Duration.ZERO;
    private Ticker ticker = Ticker.SYSTEM;

    /** The port to listen on (loopback only); 0, the default, picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    public Builder writeLimits(WriteLimits writeLimits) {
      this.writeLimits = Objects.requireNonNull(writeLimits, "writeLimits");
      return this;
    }

    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** Keeps data in {@code dir} across restarts; without it, data lives in memory only. */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** When the data-dir log is forced to disk; {@link FsyncPolicy#ALWAYS} by default. */
    public Builder fsync(FsyncPolicy fsync) {
      this.fsync = Objects.requireNonNull(fsync, "fsync");
      return this;
    }

    /** How long a transaction may sit unused before it expires (production: 60 s). */
    public Builder transactionIdleTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("transactionIdleTimeout must be positive");
      }
      this.transactionIdleTimeout = timeout;
      return this;
    }

    /**
     * Enforces composite indexes like production: a query needing one not in {@code indexes} fails
     * with FAILED_PRECONDITION "no matching index found". Off unless set.
     */
    public Builder indexes(CompositeIndexes indexes) {
      this.indexes = Objects.requireNonNull(indexes, "indexes");
      return this;
    }

    /**
     * Adds {@code latency} to every commit, modelling production's round trip (default none).
     * Commits still overlap: the time is not spent holding the engine's commit lock.
     */
    public Builder commitLatency(Duration latency) {
      if (latency.isNegative()) {
        throw new IllegalArgumentException("commitLatency must not be negative, got " + latency);
      }
      this.commitLatency = latency;
      return this;
    }

    /**
     * The time by which write budgets refill and transactions expire; the system's by default. A
     * test passes one it moves on itself instead of sleeping.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    WriteLimits writeLimits() {
      return writeLimits;
    }

    Faults faults() {
      return faults;
    }

    /**
     * @throws UncheckedIOException when the data dir cannot be opened (e.g. in use)
     */
    public DatastoreEmulator build() {
      try {
        Storage storage = dataDir == null ? Storage.memory() : new FileStorage(dataDir, fsync);
        return new DatastoreEmulator(this, storage);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
