package dev.hotpath.functions;

import com.google.gson.JsonObject;
import dev.hotpath.shared.config.OperationsConfig;
import dev.hotpath.shared.json.JsonValues;
import dev.hotpath.shared.json.Rfc3339;
import dev.hotpath.shared.operations.MutationParser;
import dev.hotpath.shared.operations.Operation;

/**
 * Deferred operations in JSON, one way for the Write API's routes and the worker alike: the parser
 * of their mutations, and an operation as both answer it.
 */
final class OperationJson {

  /**
   * Parses mutations of {@code config}'s kinds into entities, their values read by {@code values}.
   */
  static MutationParser parser(OperationsConfig config, JsonValues values) {
    return new MutationParser(config.allowedKinds(), values);
  }

  /** {@code {"id","state","error","createdAt","doneAt","attempts"}}, absent values as null. */
  static JsonObject of(Operation operation) {
    JsonObject json = new JsonObject();
    json.addProperty("id", operation.id());
    json.addProperty("state", operation.state().name());
    json.addProperty("error", operation.error().orElse(null));
    json.addProperty("createdAt", Rfc3339.format(operation.createdAt()));
    json.addProperty("doneAt", operation.doneAt().map(Rfc3339::format).orElse(null));
    json.addProperty("attempts", operation.attempts());
    return json;
  }

  private OperationJson() {}
}
