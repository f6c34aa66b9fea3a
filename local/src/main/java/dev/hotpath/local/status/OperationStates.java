package dev.hotpath.local.status;

import com.google.gson.JsonObject;
import dev.hotpath.shared.operations.Operation;
import dev.hotpath.shared.operations.OperationStore;

/**
 * Operations by state, as stored: counted in Datastore rather than taken from the metrics registry,
 * which knows only what this process saw since it started (a {@code --data-dir} keeps older ones).
 */
public final class OperationStates {
  /** Counting stops here: beyond it the page shows "10000+" rather than scan everything. */
  static final int LIMIT = 10_000;

  private final OperationStore store;

  public OperationStates(OperationStore store) {
    this.store = store;
  }

  /** {@code {"PENDING": n, "DONE": n, "FAILED": n}}; a count of {@value #LIMIT} means at least. */
  JsonObject count() {
    JsonObject byState = new JsonObject();
    for (Operation.State state : Operation.State.values()) {
      byState.addProperty(state.name(), store.countIn(state, LIMIT));
    }
    return byState;
  }
}
