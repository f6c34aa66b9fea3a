package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.BlobValue;
import com.google.cloud.datastore.Datastore;
import com.google.datastore.v1.ArrayValue;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.Mutation;
import com.google.datastore.v1.PartitionId;
import com.google.datastore.v1.Value;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import com.google.rpc.Status;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every kind of bad input gets a precise error and changes nothing. */
@ExtendWith(ExpectedDifferences.class)
class ValidationConformanceTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(b -> b);

  static Key incomplete(String kind) {
    return Key.newBuilder()
        .setPartitionId(Clients.partition())
        .addPath(Key.PathElement.newBuilder().setKind(kind))
        .build();
  }

  private static Entity entity(Key key, String property, Value value) {
    return Entity.newBuilder().setKey(key).putProperties(property, value).build();
  }

  private static Value integer(long n) {
    return Value.newBuilder().setIntegerValue(n).build();
  }

  private static CommitRequest commit(Mutation... mutations) {
    CommitRequest.Builder b =
        CommitRequest.newBuilder().setMode(CommitRequest.Mode.NON_TRANSACTIONAL);
    for (Mutation m : mutations) {
      b.addMutations(m);
    }
    return b.build();
  }

  private static Mutation upsert(Entity e) {
    return Mutation.newBuilder().setUpsert(e).build();
  }

  private void assertCommitRefused(String words, Mutation... mutations) {
    var proto = Clients.proto(datastore);
    Clients.assertFails(Code.INVALID_ARGUMENT, words, () -> proto.commit(commit(mutations)));
    datastore
        .ours()
        .ifPresent(
            ours -> assertEquals(0, ours.stats().commits(), "a refused commit writes nothing"));
  }

  @Test
  void anUnparsableBodyIsInvalidArgumentAsAProtobufStatus() throws Exception {
    HttpResponse<byte[]> response =
        Clients.post(
            datastore,
            "/v1/projects/test-project:commit",
            "application/x-protobuf",
            new byte[] {(byte) 0xff, 0x01, 0x02});
    assertEquals(400, response.statusCode());
    assertEquals(
        "application/x-protobuf", response.headers().firstValue("Content-Type").orElseThrow());
    Status status = Status.parseFrom(response.body());
    assertEquals(Code.INVALID_ARGUMENT.getNumber(), status.getCode());
    assertTrue(status.getMessage().contains("not a valid protobuf"), status.getMessage());
  }

  @Test
  void anUnknownMethodIsUnimplemented() throws Exception {
    HttpResponse<byte[]> response =
        Clients.post(
            datastore, "/v1/projects/test-project:explode", "application/x-protobuf", new byte[0]);
    assertEquals(501, response.statusCode());
    Status status = Status.parseFrom(response.body());
    assertEquals(Code.UNIMPLEMENTED.getNumber(), status.getCode());
    assertTrue(status.getMessage().contains("explode"), status.getMessage());
  }

  @Test
  void nonProtobufCallersGetTheJsonErrorShape() throws Exception {
    HttpResponse<byte[]> rpc =
        Clients.post(
            datastore,
            "/v1/projects/test-project:lookup",
            "application/json",
            "{}".getBytes(StandardCharsets.UTF_8));
    JsonObject error =
        JsonParser.parseString(new String(rpc.body(), StandardCharsets.UTF_8))
            .getAsJsonObject()
            .getAsJsonObject("error");
    assertEquals(400, rpc.statusCode());
    assertEquals(400, error.get("code").getAsInt());
    assertEquals("INVALID_ARGUMENT", error.get("status").getAsString());
    assertTrue(error.get("message").getAsString().contains("protobuf"));

    HttpResponse<String> missing = Clients.get(datastore, "/nowhere");
    assertEquals(404, missing.statusCode());
    assertEquals(
        "NOT_FOUND",
        JsonParser.parseString(missing.body())
            .getAsJsonObject()
            .getAsJsonObject("error")
            .get("status")
            .getAsString());
  }

  @Test
  void incompleteKeysAreRefusedWhereACompleteOneIsNeeded() throws Exception {
    var proto = Clients.proto(datastore);
    Clients.assertFails(
        Code.INVALID_ARGUMENT,
        "incomplete",
        () -> proto.lookup(LookupRequest.newBuilder().addKeys(incomplete("Thing")).build()));
    assertCommitRefused(
        "incomplete",
        Mutation.newBuilder().setUpdate(entity(incomplete("Thing"), "n", integer(1))).build());
    assertCommitRefused("incomplete", Mutation.newBuilder().setDelete(incomplete("Thing")).build());
    Key incompleteParent =
        Key.newBuilder()
            .addPath(Key.PathElement.newBuilder().setKind("Parent"))
            .addPath(Key.PathElement.newBuilder().setKind("Child").setName("c"))
            .build();
    assertCommitRefused("incomplete ancestor", upsert(entity(incompleteParent, "n", integer(1))));
  }

  @Test
  void reservedNamesAreRefused() {
    assertCommitRefused(
        "kind \"__Secret__\" is reserved",
        upsert(entity(Clients.key("__Secret__", "x"), "n", integer(1))));
    assertCommitRefused(
        "key name \"__x__\" is reserved",
        upsert(entity(Clients.key("Thing", "__x__"), "n", integer(1))));
    assertCommitRefused(
        "property name \"__p__\" is reserved",
        upsert(entity(Clients.key("Thing", "x"), "__p__", integer(1))));
    Key inReservedNamespace =
        Clients.key("Thing", "x").toBuilder()
            .setPartitionId(
                PartitionId.newBuilder().setProjectId(Clients.PROJECT).setNamespaceId("__ns__"))
            .build();
    assertCommitRefused(
        "namespace \"__ns__\" is reserved", upsert(entity(inReservedNamespace, "n", integer(1))));
  }

  @Test
  void negativeIdsAreDiscouragedButAccepted() throws Exception {
    // entity.proto, PathElement.id: "Never equal to zero. Values less than zero are discouraged
    // and may not be supported in the future."
    Key negative =
        Key.newBuilder()
            .setPartitionId(Clients.partition())
            .addPath(Key.PathElement.newBuilder().setKind("Thing").setId(-5))
            .build();
    var proto = Clients.proto(datastore);
    proto.commit(commit(upsert(entity(negative, "n", integer(1)))));
    assertEquals(
        1, proto.lookup(LookupRequest.newBuilder().addKeys(negative).build()).getFoundCount());
  }

  @Test
  void namespacesFollowTheDocumentedPattern() throws Exception {
    // The limits page: a namespace matches [A-Za-z\d\.\-_]{1,100}.
    for (String bad : new String[] {"bad ns!", "a".repeat(101), "ümlaut"}) {
      Key key =
          Clients.key("Thing", "x").toBuilder()
              .setPartitionId(
                  PartitionId.newBuilder().setProjectId(Clients.PROJECT).setNamespaceId(bad))
              .build();
      assertCommitRefused(
          "is not 1 to 100 of the characters", upsert(entity(key, "n", integer(1))));
    }
    Key good =
        Clients.key("Thing", "x").toBuilder()
            .setPartitionId(
                PartitionId.newBuilder()
                    .setProjectId(Clients.PROJECT)
                    .setNamespaceId("Team-1.eu_" + "a".repeat(90)))
            .build();
    Clients.proto(datastore).commit(commit(upsert(entity(good, "n", integer(1)))));
  }

  @Test
  void projectionValuesAndEntitiesNestedDeeperThanTwentyAreRefused() throws Exception {
    Value projected = Value.newBuilder().setIntegerValue(1).setMeaning(18).build();
    assertCommitRefused("meaning 18", upsert(entity(Clients.key("Thing", "m"), "p", projected)));
    // The limits page: "Maximum depth of nested entity values: 20".
    assertCommitRefused(
        "more than 20 deep", upsert(entity(Clients.key("Thing", "d21"), "p", nested(21))));
    Clients.proto(datastore)
        .commit(commit(upsert(entity(Clients.key("Thing", "d20"), "p", nested(20)))));
  }

  private static Value nested(int depth) {
    Value v = integer(1);
    for (int i = 0; i < depth; i++) {
      v = Value.newBuilder().setEntityValue(Entity.newBuilder().putProperties("x", v)).build();
    }
    return v;
  }

  @Test
  void manyMutationsFitOneCommitUpToTheTenMebibyteRequestLimit() throws Exception {
    // The limits page lists 10 MiB per API request and per transaction, and no mutation count.
    List<Mutation> many = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      many.add(upsert(entity(Clients.key("Thing", "m" + i), "n", integer(i))));
    }
    Value big =
        Value.newBuilder()
            .setStringValue("x".repeat(1_000_000))
            .setExcludeFromIndexes(true)
            .build();
    List<Mutation> tooBig = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      tooBig.add(upsert(entity(Clients.key("Thing", "big" + i), "b", big)));
    }
    assertCommitRefused("at most 10 MiB", tooBig.toArray(Mutation[]::new));
    Clients.proto(datastore).commit(commit(many.toArray(Mutation[]::new)));
  }

  @Test
  void emptyKindsAndBadIdsAreRefused() {
    assertCommitRefused(
        "kind must not be empty", upsert(entity(Clients.key("", "x"), "n", integer(1))));
    Key zeroId =
        Key.newBuilder().addPath(Key.PathElement.newBuilder().setKind("Thing").setId(0)).build();
    assertCommitRefused("must not be zero", Mutation.newBuilder().setDelete(zeroId).build());
    assertCommitRefused(
        "at least one path element", upsert(entity(Key.getDefaultInstance(), "n", integer(1))));
  }

  @Test
  void anEntityOverTheSizeLimitIsRefusedAndOneJustUnderIsAccepted() {
    Datastore ds = Clients.noRetry(datastore);
    com.google.cloud.datastore.Key big = ds.newKeyFactory().setKind("Big").newKey("big");
    BlobValue tooMuch =
        BlobValue.newBuilder(Blob.copyFrom(new byte[1_048_572]))
            .setExcludeFromIndexes(true)
            .build();
    Clients.assertClientFails(
        "INVALID_ARGUMENT",
        "maximum entity size is 1048572 bytes",
        () -> ds.put(com.google.cloud.datastore.Entity.newBuilder(big).set("b", tooMuch).build()));
    BlobValue fits =
        BlobValue.newBuilder(Blob.copyFrom(new byte[1_048_000]))
            .setExcludeFromIndexes(true)
            .build();
    ds.put(com.google.cloud.datastore.Entity.newBuilder(big).set("b", fits).build());
    assertEquals(1_048_000, ds.get(big).getBlob("b").getLength());
  }

  @Test
  void theSameEntityTwiceInOneCommitIsRefused() {
    assertCommitRefused(
        "more than one mutation for the same entity",
        upsert(entity(Clients.key("Thing", "x"), "n", integer(1))),
        Mutation.newBuilder().setDelete(Clients.key("Thing", "x")).build());
  }

  @Test
  void aTransactionalCommitAppliesMutationsOfOneEntityInOrder() throws Exception {
    // datastore.proto, CommitRequest.mutations: "When mode is TRANSACTIONAL, mutations affecting a
    // single entity are applied in order", except insert after insert/update/upsert and update
    // after delete.
    var proto = Clients.proto(datastore);
    Key x = Clients.key("Thing", "x");
    Key y = Clients.key("Thing", "y");
    for (Mutation[] refused :
        new Mutation[][] {
          {
            upsert(entity(x, "n", integer(1))),
            Mutation.newBuilder().setInsert(entity(x, "n", integer(2))).build()
          },
          {
            Mutation.newBuilder().setDelete(x).build(),
            Mutation.newBuilder().setUpdate(entity(x, "n", integer(2))).build()
          }
        }) {
      CommitRequest request = inNewTransaction(proto, refused);
      Clients.assertFails(Code.INVALID_ARGUMENT, "after a", () -> proto.commit(request));
    }
    proto.commit(
        inNewTransaction(
            proto,
            upsert(entity(x, "n", integer(1))),
            Mutation.newBuilder().setUpdate(entity(x, "n", integer(2))).build(),
            upsert(entity(y, "n", integer(1))),
            Mutation.newBuilder().setDelete(y).build(),
            Mutation.newBuilder().setInsert(entity(y, "n", integer(3))).build()));
    var found =
        proto.lookup(LookupRequest.newBuilder().addKeys(x).addKeys(y).build()).getFoundList();
    assertEquals(2, found.size());
    for (var result : found) {
      long expected = result.getEntity().getKey().equals(x) ? 2 : 3;
      assertEquals(expected, result.getEntity().getPropertiesOrThrow("n").getIntegerValue());
    }
  }

  private static CommitRequest inNewTransaction(
      com.google.datastore.v1.client.Datastore proto, Mutation... mutations) throws Exception {
    ByteString txn =
        proto.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransaction();
    return commit(mutations).toBuilder()
        .setMode(CommitRequest.Mode.TRANSACTIONAL)
        .setTransaction(txn)
        .build();
  }

  @Test
  void anUnknownTransactionIsRefused() {
    var proto = Clients.proto(datastore);
    CommitRequest request =
        commit(upsert(entity(Clients.key("Thing", "x"), "n", integer(1)))).toBuilder()
            .setMode(CommitRequest.Mode.TRANSACTIONAL)
            .setTransaction(ByteString.copyFromUtf8("no-such-transaction"))
            .build();
    Clients.assertFails(
        Code.INVALID_ARGUMENT, "expired or is no longer valid", () -> proto.commit(request));
    Clients.assertFails(
        Code.INVALID_ARGUMENT,
        "expired or is no longer valid",
        () ->
            proto.lookup(
                LookupRequest.newBuilder()
                    .addKeys(Clients.key("Thing", "x"))
                    .setReadOptions(
                        com.google.datastore.v1.ReadOptions.newBuilder()
                            .setTransaction(ByteString.copyFromUtf8("nope")))
                    .build()));
  }

  @Test
  void badValuesAreRefused() {
    Value longIndexed = Value.newBuilder().setStringValue("x".repeat(1501)).build();
    assertCommitRefused(
        "indexed value longer than 1500 bytes",
        upsert(entity(Clients.key("Thing", "x"), "s", longIndexed)));
    Value nested =
        Value.newBuilder()
            .setArrayValue(
                ArrayValue.newBuilder()
                    .addValues(
                        Value.newBuilder()
                            .setArrayValue(ArrayValue.newBuilder().addValues(integer(1)))))
            .build();
    assertCommitRefused(
        "array directly inside an array", upsert(entity(Clients.key("Thing", "x"), "a", nested)));
    Value noType = Value.getDefaultInstance();
    assertCommitRefused("no type", upsert(entity(Clients.key("Thing", "x"), "v", noType)));
    Value badGeo =
        Value.newBuilder()
            .setGeoPointValue(com.google.type.LatLng.newBuilder().setLatitude(91))
            .build();
    assertCommitRefused("geo point", upsert(entity(Clients.key("Thing", "x"), "g", badGeo)));
    assertCommitRefused("has no operation", Mutation.getDefaultInstance());
  }

  @Test
  void aKeyOfAnotherProjectIsRefused() {
    Key foreign =
        Clients.key("Thing", "x").toBuilder()
            .setPartitionId(PartitionId.newBuilder().setProjectId("someone-else"))
            .build();
    assertCommitRefused("mismatched project", upsert(entity(foreign, "n", integer(1))));
  }

  @Test
  void oneBadMutationFailsTheWholeCommit() throws Exception {
    var proto = Clients.proto(datastore);
    proto.commit(
        commit(
            Mutation.newBuilder()
                .setInsert(entity(Clients.key("Thing", "exists"), "n", integer(1)))
                .build()));
    CommitRequest mixed =
        commit(
            upsert(entity(Clients.key("Thing", "fresh"), "n", integer(1))),
            Mutation.newBuilder()
                .setInsert(entity(Clients.key("Thing", "exists"), "n", integer(2)))
                .build());
    Clients.assertFails(Code.ALREADY_EXISTS, "entity already exists", () -> proto.commit(mixed));
    var after =
        proto.lookup(
            LookupRequest.newBuilder()
                .addKeys(Clients.key("Thing", "fresh"))
                .addKeys(Clients.key("Thing", "exists"))
                .build());
    assertEquals(1, after.getFoundCount());
    assertEquals(1, after.getFound(0).getEntity().getPropertiesOrThrow("n").getIntegerValue());
  }
}
