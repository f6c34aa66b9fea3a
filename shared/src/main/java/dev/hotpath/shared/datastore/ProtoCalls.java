package dev.hotpath.shared.datastore;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.spi.v1.DatastoreRpc;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.PartitionId;
import com.google.datastore.v1.RollbackRequest;
import com.google.datastore.v1.TransactionOptions;
import com.google.protobuf.ByteString;
import dev.hotpath.shared.metrics.Event;
import dev.hotpath.shared.metrics.Metrics;
import java.util.function.Supplier;

/**
 * Datastore's proto-level API through a high-level client's own transport (same endpoint,
 * credentials, no-retry settings and timeouts), for writers that need what the high-level client
 * does not expose: base_version preconditions, mutation versions, BeginTransaction on its own.
 *
 * <p>Every failure arrives as {@link DatastoreException} whatever the transport: over HTTP the
 * client's RPC layer throws it, over gRPC it throws gax's {@link ApiException}, which is translated
 * here (reason = the status code's name) so that {@link DatastoreFailures} classifies both alike.
 */
public final class ProtoCalls {
  private final DatastoreRpc rpc;
  private final String projectId;
  private final String databaseId;
  private final PartitionId partition;

  public ProtoCalls(Datastore datastore) {
    this.rpc = (DatastoreRpc) datastore.getOptions().getRpc();
    this.projectId = datastore.getOptions().getProjectId();
    this.databaseId = datastore.getOptions().getDatabaseId();
    this.partition =
        PartitionId.newBuilder()
            .setProjectId(projectId)
            .setDatabaseId(databaseId)
            .setNamespaceId(datastore.getOptions().getNamespace())
            .build();
  }

  /** A root key of {@code kind} named {@code name} in the client's partition. */
  public Key key(String kind, String name) {
    return Key.newBuilder()
        .setPartitionId(partition)
        .addPath(Key.PathElement.newBuilder().setKind(kind).setName(name))
        .build();
  }

  /** Commits {@code request} (project and database filled in). */
  public CommitResponse commit(CommitRequest.Builder request) {
    return call(
        () -> rpc.commit(request.setProjectId(projectId).setDatabaseId(databaseId).build()));
  }

  /** Looks up {@code request}'s keys (project and database filled in). */
  public LookupResponse lookup(LookupRequest.Builder request) {
    return call(
        () -> rpc.lookup(request.setProjectId(projectId).setDatabaseId(databaseId).build()));
  }

  /** Begins a read-write transaction; its id. */
  public ByteString beginReadWrite() {
    return call(
        () ->
            rpc.beginTransaction(
                    BeginTransactionRequest.newBuilder()
                        .setProjectId(projectId)
                        .setDatabaseId(databaseId)
                        .setTransactionOptions(
                            TransactionOptions.newBuilder()
                                .setReadWrite(TransactionOptions.ReadWrite.getDefaultInstance()))
                        .build())
                .getTransaction());
  }

  /** Ends a transaction we will not commit; failing to is harmless (it expires). */
  public void rollbackQuietly(ByteString transaction) {
    if (transaction.isEmpty()) {
      return;
    }
    try {
      call(
          () ->
              rpc.rollback(
                  RollbackRequest.newBuilder()
                      .setProjectId(projectId)
                      .setDatabaseId(databaseId)
                      .setTransaction(transaction)
                      .build()));
    } catch (DatastoreException ignored) {
      // Nothing was committed under it.
    }
  }

  private static <T> T call(Supplier<T> call) {
    Metrics.global().count(Event.DATASTORE_CALLS);
    try {
      return call.get();
    } catch (ApiException e) {
      throw new DatastoreException(
          e.getStatusCode().getCode().getHttpStatusCode(),
          e.getMessage(),
          e.getStatusCode().getCode().name(),
          e.isRetryable(),
          e);
    }
  }
}
