package dev.hotpath.emulators.datastore.grpc;

import static dev.hotpath.emulators.grpc.UnaryAnswer.answer;

import com.google.datastore.v1.AllocateIdsRequest;
import com.google.datastore.v1.AllocateIdsResponse;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.BeginTransactionResponse;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.DatastoreGrpc;
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
import dev.hotpath.emulators.datastore.engine.DatastoreEngine;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC edge: {@code google.datastore.v1.Datastore} as the client's gRPC transport calls it.
 * Only translates — the project comes from the request's {@code project_id} (the HTTP edge takes it
 * from the URL), the engine does the work, and its {@link dev.hotpath.emulators.EmulatorException}
 * codes become gRPC statuses unchanged ({@link dev.hotpath.emulators.grpc.UnaryAnswer}).
 */
final class DatastoreGrpcService extends DatastoreGrpc.DatastoreImplBase {
  private final DatastoreEngine engine;

  DatastoreGrpcService(DatastoreEngine engine) {
    this.engine = engine;
  }

  @Override
  public void lookup(LookupRequest request, StreamObserver<LookupResponse> response) {
    answer(response, () -> engine.lookup(request.getProjectId(), request));
  }

  @Override
  public void runQuery(RunQueryRequest request, StreamObserver<RunQueryResponse> response) {
    answer(response, () -> engine.runQuery(request.getProjectId(), request));
  }

  @Override
  public void runAggregationQuery(
      RunAggregationQueryRequest request, StreamObserver<RunAggregationQueryResponse> response) {
    answer(response, () -> engine.runAggregationQuery(request.getProjectId(), request));
  }

  @Override
  public void beginTransaction(
      BeginTransactionRequest request, StreamObserver<BeginTransactionResponse> response) {
    answer(response, () -> engine.beginTransaction(request.getProjectId(), request));
  }

  @Override
  public void commit(CommitRequest request, StreamObserver<CommitResponse> response) {
    answer(response, () -> engine.commit(request.getProjectId(), request));
  }

  @Override
  public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> response) {
    answer(response, () -> engine.rollback(request.getProjectId(), request));
  }

  @Override
  public void allocateIds(
      AllocateIdsRequest request, StreamObserver<AllocateIdsResponse> response) {
    answer(response, () -> engine.allocateIds(request.getProjectId(), request));
  }

  @Override
  public void reserveIds(ReserveIdsRequest request, StreamObserver<ReserveIdsResponse> response) {
    answer(response, () -> engine.reserveIds(request.getProjectId(), request));
  }
}
