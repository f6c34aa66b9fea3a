package dev.hotpath.emulators.datastore.grpc;

import com.google.datastore.v1.DatastoreGrpc;
import dev.hotpath.emulators.datastore.engine.DatastoreEngine;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@link DatastoreGrpcService} over plaintext HTTP/2 on loopback: what the client's gRPC
 * transport dials for an emulator (see {@code dev.hotpath.datastoreclient.EmulatorGrpcRpc}).
 *
 * <p>Calls run on the network thread that decoded them: every engine call is a short in-memory
 * step, and skipping the hand-off to a worker thread and back roughly halved the CPU per lookup in
 * {@code bench datastore}. The exception is a commit that waits for its log flush (a data dir):
 * those go to a worker pool, so one slow flush does not stall every call on the connection, and
 * concurrent commits can still share one flush.
 */
public final class DatastoreGrpcServer implements AutoCloseable {
  /** Production accepts requests up to 10 MiB; gRPC's default of 4 MiB would refuse some. */
  private static final int MAX_REQUEST_BYTES = 16 << 20;

  private final Server server;
  private final ExecutorService commitWorkers;

  /**
   * @param commitsWaitForDisk whether a commit blocks until storage has flushed it
   */
  public DatastoreGrpcServer(DatastoreEngine engine, int port, boolean commitsWaitForDisk) {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .maxInboundMessageSize(MAX_REQUEST_BYTES)
            .directExecutor()
            .addService(new DatastoreGrpcService(engine));
    if (commitsWaitForDisk) {
      commitWorkers =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "datastore-grpc-commit");
                t.setDaemon(true);
                return t;
              });
      builder.callExecutor(
          new ServerCallExecutorSupplier() {
            @Override
            public <ReqT, RespT> Executor getExecutor(
                ServerCall<ReqT, RespT> call, Metadata headers) {
              // null: the default, i.e. the network thread
              return call.getMethodDescriptor().equals(DatastoreGrpc.getCommitMethod())
                  ? commitWorkers
                  : null;
            }
          });
    } else {
      commitWorkers = null;
    }
    this.server = builder.build();
  }

  public void start() throws IOException {
    server.start();
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (commitWorkers != null) {
      commitWorkers.shutdownNow();
    }
  }
}
