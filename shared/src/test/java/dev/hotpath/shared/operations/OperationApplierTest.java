package dev.hotpath.shared.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Datastore;
import com.google.gson.JsonParser;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.engine.EmulatorStats;
import dev.hotpath.emulators.datastore.engine.Faults;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.shared.config.WorkerConfig;
import dev.hotpath.shared.datastore.DatastoreClients;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.json.JsonValues;
import dev.hotpath.shared.validation.UnavailableException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker's engine against the Datastore emulator: retry budget, redelivery, permanent failure.
 */
class OperationApplierTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  private static final String MUTATIONS =
      """
      [{"insert": {"key": {"path": [{"kind": "Friendship", "name": "a:b"}]}, "properties": {}}},
       {"increment": {"key": {"path": [{"kind": "User", "name": "a"}]}, "property": "friendCount", "by": 1}}]""";

  private OperationApplier applier;
  private OperationStore store;

  @BeforeEach
  void setUp() {
    Map<String, String> env =
        Map.of(
            "DATASTORE_EMULATOR_HOST",
            datastore.emulator().host(),
            "GOOGLE_CLOUD_PROJECT",
            DatastoreEmulatorExtension.PROJECT,
            "HOTPATH_OPERATION_KINDS",
            "User,Friendship",
            "HOTPATH_OPERATION_RETRY_BUDGET_MS",
            "300");
    WorkerConfig config = WorkerConfig.fromEnv(env);
    Datastore client = DatastoreClients.create(config.datastore());
    MutationParser parser =
        new MutationParser(
            config.operations().allowedKinds(),
            new JsonValues(DatastoreEmulatorExtension.PROJECT, ""));
    applier = new OperationApplier(client, config.sharding(), config.retry(), parser);
    store = new OperationStore(client, new Idempotent(config.retry(), Duration.ofSeconds(1)));
  }

  private String record() {
    String id = OperationIds.random();
    store.create(id, OperationPayload.of(JsonParser.parseString(MUTATIONS).getAsJsonArray()));
    return id;
  }

  @Test
  void whenDatastoreFailsPastTheBudgetTheDeliveryIsUnavailableAndALaterOneApplies() {
    String id = record();
    datastore.emulator().setFaults(Faults.parse("unavailable=1"));
    assertThrows(UnavailableException.class, () -> applier.apply(id, 0));
    datastore.emulator().setFaults(Faults.none());
    assertEquals(Operation.State.PENDING, store.get(id).orElseThrow().state());
    OperationApplier.Outcome later = applier.apply(id, 1);
    assertEquals(OperationApplier.Result.APPLIED, later.result());
    assertTrue(later.operation().orElseThrow().attempts() >= 2, later.toString());
  }

  @Test
  void aRedeliveryFindsDoneAndWritesNothing() {
    String id = record();
    assertEquals(OperationApplier.Result.APPLIED, applier.apply(id, 0).result());
    EmulatorStats before = datastore.emulator().stats();
    OperationApplier.Outcome again = applier.apply(id, 1);
    assertEquals(OperationApplier.Result.ALREADY_FINISHED, again.result());
    assertEquals(Operation.State.DONE, again.operation().orElseThrow().state());
    assertEquals(
        before.commits(),
        datastore.emulator().stats().commits(),
        "a redelivery committed something");
  }

  @Test
  void aFailedPreconditionFailsTheOperationOnceAndForAll() {
    String first = record();
    assertEquals(OperationApplier.Result.APPLIED, applier.apply(first, 0).result());
    String second = record(); // inserts Friendship/a:b again
    OperationApplier.Outcome failed = applier.apply(second, 0);
    assertEquals(OperationApplier.Result.FAILED, failed.result());
    assertTrue(failed.operation().orElseThrow().error().orElseThrow().contains("already exists"));
    assertEquals(OperationApplier.Result.ALREADY_FINISHED, applier.apply(second, 1).result());
  }

  @Test
  void anUnknownOperationIsReportedAsSuch() {
    assertEquals(OperationApplier.Result.UNKNOWN, applier.apply(OperationIds.random(), 0).result());
  }
}
