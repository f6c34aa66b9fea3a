package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.datastore.v1.ArrayValue;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.Mutation;
import com.google.datastore.v1.MutationResult;
import com.google.datastore.v1.PropertyMask;
import com.google.datastore.v1.PropertyTransform;
import com.google.datastore.v1.ReadOptions;
import com.google.datastore.v1.Value;
import com.google.datastore.v1.client.Datastore;
import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Property transforms, base_version / update_time preconditions and property masks, through the
 * proto-level client (the high-level client does not expose them).
 */
@ExtendWith(ExpectedDifferences.class)
class TransformConformanceTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(b -> b);

  private static final Key KEY = Clients.key("Stats", "s");
  private Datastore proto;

  @BeforeEach
  void connect() {
    proto = Clients.proto(datastore);
  }

  private static Value integer(long n) {
    return Value.newBuilder().setIntegerValue(n).build();
  }

  private static Value dbl(double d) {
    return Value.newBuilder().setDoubleValue(d).build();
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  private static Value array(Value... values) {
    return Value.newBuilder()
        .setArrayValue(ArrayValue.newBuilder().addAllValues(List.of(values)))
        .build();
  }

  private static Entity entity(Map<String, Value> properties) {
    return Entity.newBuilder().setKey(KEY).putAllProperties(properties).build();
  }

  private MutationResult commit(Mutation.Builder mutation) throws Exception {
    CommitResponse response =
        proto.commit(
            CommitRequest.newBuilder()
                .setMode(CommitRequest.Mode.NON_TRANSACTIONAL)
                .addMutations(mutation)
                .build());
    return response.getMutationResults(0);
  }

  private Map<String, Value> stored() throws Exception {
    var lookup = proto.lookup(LookupRequest.newBuilder().addKeys(KEY).build());
    return lookup.getFound(0).getEntity().getPropertiesMap();
  }

  private static PropertyTransform.Builder transform(String property) {
    return PropertyTransform.newBuilder().setProperty(property);
  }

  @Test
  void numericTransformsFollowFirestoreRules() throws Exception {
    commit(
        Mutation.newBuilder()
            .setUpsert(
                entity(
                    Map.of(
                        "count",
                        integer(5),
                        "big",
                        integer(Long.MAX_VALUE - 1),
                        "ratio",
                        dbl(1.5),
                        "text",
                        string("x"),
                        "high",
                        integer(10),
                        "low",
                        integer(10)))));

    MutationResult result =
        commit(
            Mutation.newBuilder()
                .setUpdate(
                    entity(
                        Map.of(
                            "count",
                            integer(5),
                            "big",
                            integer(Long.MAX_VALUE - 1),
                            "ratio",
                            dbl(1.5),
                            "text",
                            string("x"),
                            "high",
                            integer(10),
                            "low",
                            integer(10))))
                .addPropertyTransforms(transform("count").setIncrement(integer(3)))
                .addPropertyTransforms(transform("big").setIncrement(integer(10)))
                .addPropertyTransforms(transform("ratio").setIncrement(integer(1)))
                .addPropertyTransforms(transform("text").setIncrement(integer(7)))
                .addPropertyTransforms(transform("absent").setIncrement(dbl(0.5)))
                .addPropertyTransforms(transform("high").setMaximum(integer(3)))
                .addPropertyTransforms(transform("low").setMinimum(dbl(2.5))));

    assertEquals(
        List.of(
            integer(8),
            integer(Long.MAX_VALUE),
            dbl(2.5),
            integer(7),
            dbl(0.5),
            integer(10),
            dbl(2.5)),
        result.getTransformResultsList());
    Map<String, Value> after = stored();
    assertEquals(8, after.get("count").getIntegerValue());
    assertEquals(Long.MAX_VALUE, after.get("big").getIntegerValue(), "integer increments saturate");
    assertEquals(2.5, after.get("ratio").getDoubleValue(), "a double makes the result a double");
    assertEquals(7, after.get("text").getIntegerValue(), "a non-number is replaced by the operand");
    assertEquals(0.5, after.get("absent").getDoubleValue());
    assertEquals(10, after.get("high").getIntegerValue());
    assertEquals(2.5, after.get("low").getDoubleValue());
  }

  @Test
  void arrayTransformsAndRequestTime() throws Exception {
    MutationResult result =
        commit(
            Mutation.newBuilder()
                .setUpsert(entity(Map.of("tags", array(string("a"), string("b"), string("a")))))
                .addPropertyTransforms(
                    transform("tags")
                        .setAppendMissingElements(
                            ArrayValue.newBuilder().addValues(string("b")).addValues(string("c"))))
                .addPropertyTransforms(
                    transform("seen")
                        .setSetToServerValue(PropertyTransform.ServerValue.REQUEST_TIME)));
    assertEquals(array(string("a"), string("b"), string("a"), string("c")), stored().get("tags"));
    assertEquals(
        Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build(),
        result.getTransformResults(0));
    Timestamp requestTime = result.getTransformResults(1).getTimestampValue();
    assertEquals(
        0,
        requestTime.getNanos() % 1_000_000,
        "REQUEST_TIME has \"millisecond precision\" (datastore.proto)");
    assertEquals(requestTime, stored().get("seen").getTimestampValue());

    commit(
        Mutation.newBuilder()
            .setUpsert(entity(stored()))
            .addPropertyTransforms(
                transform("tags")
                    .setRemoveAllFromArray(ArrayValue.newBuilder().addValues(string("a")))));
    assertEquals(array(string("b"), string("c")), stored().get("tags"));
  }

  @Test
  void transformsOfAnAbortedTransactionAreNotApplied() throws Exception {
    commit(Mutation.newBuilder().setUpsert(entity(Map.of("count", integer(1)))));
    ByteString txn =
        proto.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransaction();
    proto.lookup(
        LookupRequest.newBuilder()
            .addKeys(KEY)
            .setReadOptions(ReadOptions.newBuilder().setTransaction(txn))
            .build());
    commit(Mutation.newBuilder().setUpsert(entity(Map.of("count", integer(100)))));
    CommitRequest increment =
        CommitRequest.newBuilder()
            .setMode(CommitRequest.Mode.TRANSACTIONAL)
            .setTransaction(txn)
            .addMutations(
                Mutation.newBuilder()
                    .setUpsert(entity(Map.of("count", integer(1))))
                    .addPropertyTransforms(transform("count").setIncrement(integer(1))))
            .build();
    Clients.assertFails(Code.ABORTED, "transaction aborted", () -> proto.commit(increment));
    assertEquals(100, stored().get("count").getIntegerValue());
  }

  @Test
  void transformsApplyInOrderSoOnePropertyMayBeTransformedTwice() throws Exception {
    // datastore.proto: the transforms "are applied to the entity ... in order, after the
    // operation".
    MutationResult result =
        commit(
            Mutation.newBuilder()
                .setUpsert(entity(Map.of("n", integer(1))))
                .addPropertyTransforms(transform("n").setIncrement(integer(1)))
                .addPropertyTransforms(transform("n").setIncrement(integer(2))));
    assertEquals(List.of(integer(2), integer(4)), result.getTransformResultsList());
    assertEquals(integer(4), stored().get("n"));
  }

  @Test
  void equivalentNumbersAndZerosLeaveTheStoredValue() throws Exception {
    // datastore.proto, maximum/minimum: "If the operands are equivalent (e.g. 3 and 3.0), the
    // property does not change. 0, 0.0, and -0.0 are all zero. The maximum [minimum] of a zero
    // stored value and zero input value is always the stored value."
    commit(
        Mutation.newBuilder()
            .setUpsert(
                entity(Map.of("three", integer(3), "zero", integer(0), "negZero", dbl(-0.0))))
            .addPropertyTransforms(transform("three").setMaximum(dbl(3.0)))
            .addPropertyTransforms(transform("zero").setMinimum(dbl(-0.0)))
            .addPropertyTransforms(transform("negZero").setMaximum(integer(0))));
    Map<String, Value> after = stored();
    assertEquals(integer(3), after.get("three"));
    assertEquals(integer(0), after.get("zero"));
    assertEquals(Value.ValueTypeCase.DOUBLE_VALUE, after.get("negZero").getValueTypeCase());
    assertEquals(-0.0, after.get("negZero").getDoubleValue());
  }

  @Test
  void conflictResolutionFailFailsTheWholeCommit() throws Exception {
    MutationResult created =
        commit(Mutation.newBuilder().setInsert(entity(Map.of("n", integer(1)))));
    // datastore.proto: "FAIL: The whole commit request fails."
    Clients.assertFails(
        Code.FAILED_PRECONDITION,
        "conflict_resolution_strategy is FAIL",
        () ->
            commit(
                Mutation.newBuilder()
                    .setUpdate(entity(Map.of("n", integer(2))))
                    .setBaseVersion(created.getVersion() - 1)
                    .setConflictResolutionStrategy(Mutation.ConflictResolutionStrategy.FAIL)));
    assertEquals(integer(1), stored().get("n"));
    // "If this is set, then conflict_detection_strategy must also be set."
    Clients.assertFails(
        Code.INVALID_ARGUMENT,
        "needs a base_version or update_time",
        () ->
            commit(
                Mutation.newBuilder()
                    .setUpsert(entity(Map.of("n", integer(3))))
                    .setConflictResolutionStrategy(Mutation.ConflictResolutionStrategy.FAIL)));
  }

  @Test
  void badTransformsAreRefused() {
    Mutation.Builder notNumeric =
        Mutation.newBuilder()
            .setUpsert(entity(Map.of()))
            .addPropertyTransforms(transform("n").setIncrement(string("1")));
    Clients.assertFails(
        Code.INVALID_ARGUMENT, "integer or double operand", () -> commit(notNumeric));
    Mutation.Builder onDelete =
        Mutation.newBuilder()
            .setDelete(KEY)
            .addPropertyTransforms(transform("n").setIncrement(integer(1)));
    Clients.assertFails(
        Code.INVALID_ARGUMENT, "delete cannot have property transforms", () -> commit(onDelete));
  }

  @Test
  void baseVersionPreconditionsDetectConflicts() throws Exception {
    MutationResult created =
        commit(Mutation.newBuilder().setInsert(entity(Map.of("n", integer(1)))));

    MutationResult stale =
        commit(
            Mutation.newBuilder()
                .setUpdate(entity(Map.of("n", integer(2))))
                .setBaseVersion(created.getVersion() - 1));
    assertTrue(stale.getConflictDetected());
    assertEquals(
        created.getVersion(), stale.getVersion(), "a conflict reports the current version");
    assertEquals(1, stored().get("n").getIntegerValue(), "a conflicting mutation is not applied");

    MutationResult current =
        commit(
            Mutation.newBuilder()
                .setUpdate(entity(Map.of("n", integer(3))))
                .setBaseVersion(created.getVersion()));
    assertFalse(current.getConflictDetected());
    assertEquals(3, stored().get("n").getIntegerValue());

    MutationResult byTime =
        commit(
            Mutation.newBuilder()
                .setUpdate(entity(Map.of("n", integer(4))))
                .setUpdateTime(created.getUpdateTime()));
    assertTrue(byTime.getConflictDetected(), "update_time of an older version conflicts");
    MutationResult byCurrentTime =
        commit(
            Mutation.newBuilder()
                .setUpdate(entity(Map.of("n", integer(5))))
                .setUpdateTime(current.getUpdateTime()));
    assertFalse(byCurrentTime.getConflictDetected());
    assertEquals(5, stored().get("n").getIntegerValue());

    Key fresh = Clients.key("Stats", "fresh");
    MutationResult mustNotExist =
        commit(
            Mutation.newBuilder()
                .setUpsert(Entity.newBuilder().setKey(fresh).putProperties("n", integer(1)))
                .setBaseVersion(0));
    assertFalse(
        mustNotExist.getConflictDetected(), "base_version 0 means: the entity must not exist yet");
  }

  @Test
  void aPropertyMaskUpdatesOnlyTheNamedProperties() throws Exception {
    commit(
        Mutation.newBuilder()
            .setUpsert(entity(Map.of("a", integer(1), "b", integer(2), "c", integer(3)))));
    commit(
        Mutation.newBuilder()
            .setUpdate(entity(Map.of("a", integer(10), "c", integer(30))))
            .setPropertyMask(PropertyMask.newBuilder().addPaths("a").addPaths("b")));
    assertEquals(
        Map.of("a", integer(10), "c", integer(3)),
        stored(),
        "a is set, b is removed, c is untouched");
  }
}
