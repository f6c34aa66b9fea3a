package dev.hotpath.local.status;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.MetricsSnapshot;
import dev.hotpath.shared.metrics.NameFigures;
import dev.hotpath.shared.metrics.OperationFigures;
import dev.hotpath.shared.metrics.WriteFigures;
import java.util.List;

/**
 * The figures of the status page, as the JSON that both the page and scripts read: the counters and
 * groups written recently (from the process-wide metrics registry, which the functions {@code up}
 * serves in-process record into), operations by state, and the TURN targets.
 */
public final class StatusReport {
  /** Names shown per family: the most recently written. */
  static final int NAMES = 50;

  private final Metrics metrics;
  private final OperationStates operations;
  private final TurnStatus turn;

  public StatusReport(Metrics metrics, OperationStates operations, TurnStatus turn) {
    this.metrics = metrics;
    this.operations = operations;
    this.turn = turn;
  }

  /** Everything now. A part that fails says so in its own {@code error} field. */
  public JsonObject json() {
    MetricsSnapshot snapshot = metrics.snapshot(NAMES);
    JsonObject json = new JsonObject();
    json.addProperty("at", snapshot.at().toString());
    json.add("counters", names(snapshot.counters(), "commitsPerIncrement"));
    json.add("groups", names(snapshot.groups(), "commitsPerAppend"));
    json.add("write", write(snapshot.write()));
    json.add("operations", operations(snapshot.operations()));
    json.add("turn", turn.fetch());
    return json;
  }

  private static JsonArray names(List<NameFigures> figures, String ratioName) {
    JsonArray names = new JsonArray();
    for (NameFigures f : figures) {
      JsonObject j = new JsonObject();
      j.addProperty("name", f.name());
      j.addProperty("acknowledged", f.acknowledged());
      j.addProperty("commits", f.commits());
      if (f.acknowledged() > 0) {
        j.addProperty(ratioName, (double) f.commits() / f.acknowledged());
      } else {
        j.add(ratioName, JsonNull.INSTANCE);
      }
      j.addProperty("unavailable", f.unavailable());
      j.addProperty("shards", f.shards());
      j.addProperty("lastWrite", f.lastWrite() == null ? null : f.lastWrite().toString());
      names.add(j);
    }
    return names;
  }

  private static JsonObject write(WriteFigures w) {
    JsonObject j = new JsonObject();
    j.addProperty("datastoreCalls", w.datastoreCalls());
    j.addProperty("contentionAborts", w.contentionAborts());
    j.addProperty("shardGrowths", w.shardGrowths());
    JsonObject byCause = new JsonObject();
    w.unavailableByCause().forEach(byCause::addProperty);
    j.add("unavailableByCause", byCause);
    return j;
  }

  private JsonObject operations(OperationFigures o) {
    JsonObject j = new JsonObject();
    try {
      j.add("byState", operations.count());
    } catch (RuntimeException e) {
      j.add("byState", JsonNull.INSTANCE);
      j.addProperty("error", "could not count the stored operations: " + e.getMessage());
    }
    j.addProperty("submitted", o.submitted());
    j.addProperty("done", o.done());
    j.addProperty("failed", o.failed());
    j.addProperty("reenqueued", o.reenqueued());
    j.addProperty("oldestPendingAgeMillis", o.oldestPendingAgeMillis());
    return j;
  }
}
