package dev.hotpath.emulators.datastore.http;

import com.google.datastore.v1.AllocateIdsRequest;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.ReserveIdsRequest;
import com.google.datastore.v1.RollbackRequest;
import com.google.datastore.v1.RunAggregationQueryRequest;
import com.google.datastore.v1.RunQueryRequest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.hotpath.emulators.EmulatorException;
import dev.hotpath.emulators.datastore.engine.DatastoreEngine;
import java.util.Map;
import java.util.function.BiFunction;

/** The Datastore v1 methods by URL name: each decodes its request protobuf and calls the engine. */
final class RpcMethods {

  /** One method: the request bytes in, the response message out. */
  interface Method {
    Message call(String project, byte[] body);
  }

  static Map<String, Method> of(DatastoreEngine engine) {
    return Map.of(
        "lookup", method(LookupRequest.parser(), engine::lookup),
        "runQuery", method(RunQueryRequest.parser(), engine::runQuery),
        "runAggregationQuery",
            method(RunAggregationQueryRequest.parser(), engine::runAggregationQuery),
        "beginTransaction", method(BeginTransactionRequest.parser(), engine::beginTransaction),
        "commit", method(CommitRequest.parser(), engine::commit),
        "rollback", method(RollbackRequest.parser(), engine::rollback),
        "allocateIds", method(AllocateIdsRequest.parser(), engine::allocateIds),
        "reserveIds", method(ReserveIdsRequest.parser(), engine::reserveIds));
  }

  private static <R> Method method(
      Parser<R> parser, BiFunction<String, R, ? extends Message> call) {
    return (project, body) -> {
      R request;
      try {
        request = parser.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw EmulatorException.invalidArgument(
            "the request body is not a valid protobuf message: " + e.getMessage());
      }
      return call.apply(project, request);
    };
  }

  private RpcMethods() {}
}
