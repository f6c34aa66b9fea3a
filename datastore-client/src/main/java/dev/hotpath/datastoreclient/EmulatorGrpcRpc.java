package dev.hotpath.datastoreclient;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.spi.v1.DatastoreRpc;
import com.google.cloud.datastore.v1.stub.DatastoreStubSettings;
import com.google.cloud.datastore.v1.stub.GrpcDatastoreStub;
import com.google.cloud.grpc.GrpcTransportOptions;
import com.google.datastore.v1.AllocateIdsRequest;
import com.google.datastore.v1.AllocateIdsResponse;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.BeginTransactionResponse;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.ReserveIdsRequest;
import com.google.datastore.v1.ReserveIdsResponse;
import com.google.datastore.v1.RollbackRequest;
import com.google.datastore.v1.RollbackResponse;
import com.google.datastore.v1.RunAggregationQueryRequest;
import com.google.datastore.v1.RunAggregationQueryResponse;
import com.google.datastore.v1.RunQueryRequest;
import com.google.datastore.v1.RunQueryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The google-cloud-datastore client's own gRPC stub ({@link GrpcDatastoreStub}) on a plaintext
 * channel to an emulator, as the client's {@code DatastoreRpc}.
 *
 * <p>Why it exists: in google-cloud-datastore 2.37 the client's {@code GrpcDatastoreRpc} builds the
 * plaintext emulator channel and then unconditionally replaces it with the default channel
 * provider, so with {@code GrpcTransportOptions} every call goes to {@code
 * datastore.googleapis.com:443} whatever the host (googleapis/java-datastore#2022). This class does
 * what {@code GrpcDatastoreRpc} means to do for an emulator — same stub, same per-method retry
 * settings, no credentials — without that override. Everything above it ({@code DatastoreImpl}, its
 * retries, tracing, entity conversion) is the unmodified client.
 */
public final class EmulatorGrpcRpc implements DatastoreRpc {
  private final ManagedChannel channel;
  private final GrpcDatastoreStub stub;
  private volatile boolean closed;

  private EmulatorGrpcRpc(DatastoreOptions options) {
    channel = ManagedChannelBuilder.forTarget(options.getHost()).usePlaintext().build();
    try {
      DatastoreStubSettings.Builder settings =
          DatastoreStubSettings.newBuilder()
              .setEndpoint(options.getHost())
              .setCredentialsProvider(NoCredentialsProvider.create())
              .setTransportChannelProvider(
                  FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)));
      settings.applyToAllUnaryMethods(
          method -> {
            method.setRetrySettings(options.getRetrySettings());
            return null;
          });
      stub = GrpcDatastoreStub.create(settings.build());
    } catch (IOException e) {
      channel.shutdownNow();
      throw new UncheckedIOException(e);
    }
  }

  /**
   * For {@code DatastoreOptions.Builder.setServiceRpcFactory}: the RPC layer for {@code
   * options.getHost()}.
   */
  public static EmulatorGrpcRpc create(DatastoreOptions options) {
    return new EmulatorGrpcRpc(options);
  }

  /**
   * Client options for an emulator's gRPC transport at {@code host} ({@code localhost:PORT}, the
   * same as DATASTORE_EMULATOR_HOST): gRPC transport, no credentials, this RPC layer.
   */
  public static DatastoreOptions.Builder optionsFor(String host) {
    return DatastoreOptions.newBuilder()
        .setHost(host)
        .setCredentials(NoCredentials.getInstance())
        .setTransportOptions(GrpcTransportOptions.newBuilder().build())
        .setServiceRpcFactory(EmulatorGrpcRpc::create);
  }

  @Override
  public LookupResponse lookup(LookupRequest request) {
    return stub.lookupCallable().call(request);
  }

  @Override
  public RunQueryResponse runQuery(RunQueryRequest request) {
    return stub.runQueryCallable().call(request);
  }

  @Override
  public RunAggregationQueryResponse runAggregationQuery(RunAggregationQueryRequest request) {
    return stub.runAggregationQueryCallable().call(request);
  }

  @Override
  public BeginTransactionResponse beginTransaction(BeginTransactionRequest request) {
    return stub.beginTransactionCallable().call(request);
  }

  @Override
  public CommitResponse commit(CommitRequest request) {
    return stub.commitCallable().call(request);
  }

  @Override
  public RollbackResponse rollback(RollbackRequest request) {
    return stub.rollbackCallable().call(request);
  }

  @Override
  public AllocateIdsResponse allocateIds(AllocateIdsRequest request) {
    return stub.allocateIdsCallable().call(request);
  }

  @Override
  public ReserveIdsResponse reserveIds(ReserveIdsRequest request) {
    return stub.reserveIdsCallable().call(request);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stub.close();
    channel.shutdown();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      // Shut down already; an interrupted wait only skips waiting for in-flight calls.
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }
}
