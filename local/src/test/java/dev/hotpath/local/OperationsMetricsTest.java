package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Entity;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.OperationFigures;
import dev.hotpath.shared.operations.OperationApplier;
import dev.hotpath.testsupport.CapturedLog;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Operations' metrics under a known load through the real stack (Write API, Tasks emulator,
 * worker): submitted, DONE and FAILED count what happened, and each FAILED one writes the ERROR
 * record that Terraform's operation_failures metric counts.
 */
class OperationsMetricsTest {
  /** terraform/metrics.tf, google_logging_metric.operation_failures: its message filter. */
  private static final Pattern FAILED_RECORD = Pattern.compile("^operation [^ ]+ FAILED: ");

  @RegisterExtension
  @Order(1)
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(
          b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  @RegisterExtension
  @Order(2)
  static final OperationsTestStack stack = OperationsTestStack.on(datastore);

  @Test
  void submittedDoneAndFailedCountWhatHappened() throws Exception {
    stack.put(Entity.newBuilder(stack.key("Friendship", "m1:m2")).set("since", "old").build());
    OperationFigures before = Metrics.global().snapshot(0).operations();
    List<LogRecord> errors;
    try (CapturedLog log = CapturedLog.on(OperationApplier.class.getName())) {
      for (String[] pair : new String[][] {{"m3", "m4"}, {"m5", "m6"}, {"m1", "m2"}}) {
        HttpJson.Reply accepted =
            stack.http.post(
                "/v1/operations", OperationsHttpTest.acceptFriendship(pair[0], pair[1]));
        assertEquals(202, accepted.status(), accepted.body().toString());
        JsonObject finished = stack.awaitFinished(accepted.body().get("id").getAsString());
        assertEquals(pair[0].equals("m1") ? "FAILED" : "DONE", finished.get("state").getAsString());
      }
      errors = log.records().stream().filter(r -> r.getLevel() == Level.SEVERE).toList();
    }
    OperationFigures after = Metrics.global().snapshot(0).operations();
    assertEquals(3, after.submitted() - before.submitted());
    assertEquals(2, after.done() - before.done());
    assertEquals(1, after.failed() - before.failed());
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(
        FAILED_RECORD.matcher(errors.get(0).getMessage()).find(), errors.get(0).getMessage());
  }
}
