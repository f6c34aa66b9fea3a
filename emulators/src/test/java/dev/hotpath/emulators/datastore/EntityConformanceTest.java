package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.BlobValue;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.EntityValue;
import com.google.cloud.datastore.FullEntity;
import com.google.cloud.datastore.IncompleteKey;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import com.google.cloud.datastore.LatLng;
import com.google.cloud.datastore.ListValue;
import com.google.cloud.datastore.NullValue;
import com.google.cloud.datastore.PathElement;
import com.google.cloud.datastore.StringValue;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.CommitResponse;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.Mutation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Entities, values, keys, partitions, ids and versions, through the real clients. */
@ExtendWith(ExpectedDifferences.class)
class EntityConformanceTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(b -> b);

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void everyValueTypeRoundTrips(ClientTransport transport) {
    Datastore ds = transport.client(datastore);
    Key other = ds.newKeyFactory().setKind("Other").newKey(7);
    Key key = ds.newKeyFactory().setKind("AllTypes").newKey("one");
    Timestamp time = Timestamp.ofTimeSecondsAndNanos(1_700_000_000L, 123_456_000);
    FullEntity<IncompleteKey> embedded =
        FullEntity.newBuilder().set("inner", "value").set("n", 3).build();
    Entity written =
        Entity.newBuilder(key)
            .set("null", NullValue.of())
            .set("bool", true)
            .set("long", Long.MIN_VALUE)
            .set("double", 2.5)
            .set("nan", Double.NaN)
            .set("timestamp", time)
            .set("key", other)
            .set("string", "héllo")
            .set("blob", Blob.copyFrom(new byte[] {0, 1, 2, (byte) 255}))
            .set("geo", LatLng.of(52.52, 13.405))
            .set("list", ListValue.of(StringValue.of("a"), StringValue.of("b")))
            .set("embedded", EntityValue.of(embedded))
            .set(
                "unindexed",
                StringValue.newBuilder("x".repeat(3000)).setExcludeFromIndexes(true).build())
            .set(
                "unindexedBlob",
                BlobValue.newBuilder(Blob.copyFrom(new byte[5000]))
                    .setExcludeFromIndexes(true)
                    .build())
            .build();
    ds.put(written);

    Entity read = ds.get(key);
    assertEquals(written, read);
    assertTrue(read.getValue("unindexed").excludeFromIndexes());
    assertFalse(read.getValue("string").excludeFromIndexes());
    assertEquals(time, read.getTimestamp("timestamp"));
    assertEquals("value", read.getEntity("embedded").getString("inner"));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void timestampsAreStoredWithMicrosecondPrecision(ClientTransport transport) {
    Datastore ds = transport.client(datastore);
    Key key = ds.newKeyFactory().setKind("Time").newKey(1);
    ds.put(
        Entity.newBuilder(key).set("t", Timestamp.ofTimeSecondsAndNanos(10, 123_456_789)).build());
    assertEquals(Timestamp.ofTimeSecondsAndNanos(10, 123_456_000), ds.get(key).getTimestamp("t"));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void ancestorsIdsAndNamesAreDistinctKeys(ClientTransport transport) {
    Datastore ds = transport.client(datastore);
    Key parent = ds.newKeyFactory().setKind("Room").newKey("lobby");
    Key byName = Key.newBuilder(parent, "Member", "7").build();
    Key byId = Key.newBuilder(parent, "Member", 7).build();
    Key deeper = Key.newBuilder(byId, "Device", "phone").build();
    Key otherParent =
        Key.newBuilder(ds.newKeyFactory().setKind("Room").newKey("hall"), "Member", 7).build();
    ds.put(
        Entity.newBuilder(byName).set("is", "name").build(),
        Entity.newBuilder(byId).set("is", "id").build(),
        Entity.newBuilder(deeper).set("is", "deeper").build());

    assertEquals("name", ds.get(byName).getString("is"));
    assertEquals("id", ds.get(byId).getString("is"));
    assertEquals("deeper", ds.get(deeper).getString("is"));
    assertEquals(
        List.of(PathElement.of("Room", "lobby"), PathElement.of("Member", 7)),
        ds.get(deeper).getKey().getAncestors());
    assertNull(ds.get(otherParent));
    assertNull(ds.get(parent), "a child does not create its parent");
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void namespacesAreIsolated(ClientTransport transport) {
    Datastore ds = transport.client(datastore);
    Key plain = ds.newKeyFactory().setKind("Thing").newKey("same");
    Key inA = ds.newKeyFactory().setNamespace("a").setKind("Thing").newKey("same");
    Key inB = ds.newKeyFactory().setNamespace("b").setKind("Thing").newKey("same");
    ds.put(Entity.newBuilder(inA).set("ns", "a").build());
    ds.put(Entity.newBuilder(plain).set("ns", "").build());

    assertEquals("a", ds.get(inA).getString("ns"));
    assertEquals("", ds.get(plain).getString("ns"));
    assertNull(ds.get(inB));
    ds.delete(inA);
    assertNull(ds.get(inA));
    assertEquals("", ds.get(plain).getString("ns"));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void databasesAreIsolated(ClientTransport transport) {
    Datastore defaultDb = transport.client(datastore);
    Datastore otherDb = transport.options(datastore).setDatabaseId("other-db").build().getService();
    Key inDefault = defaultDb.newKeyFactory().setKind("Thing").newKey("same");
    Key inOther = otherDb.newKeyFactory().setKind("Thing").newKey("same");
    otherDb.put(Entity.newBuilder(inOther).set("db", "other").build());

    assertNull(defaultDb.get(inDefault));
    assertEquals("other", otherDb.get(inOther).getString("db"));
    assertEquals("other-db", otherDb.get(inOther).getKey().getDatabaseId());
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void projectsAreIsolated(ClientTransport transport) {
    Datastore mine = transport.client(datastore);
    Datastore theirs =
        transport.options(datastore).setProjectId("another-project").build().getService();
    mine.put(
        Entity.newBuilder(mine.newKeyFactory().setKind("Thing").newKey("x")).set("p", 1).build());
    assertNull(theirs.get(theirs.newKeyFactory().setKind("Thing").newKey("x")));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void autoIdsAreUniqueAndScattered(ClientTransport transport) {
    Datastore ds = transport.client(datastore);
    KeyFactory things = ds.newKeyFactory().setKind("Thing");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(ds.allocateId(things.newKey()).getId());
    }
    for (int i = 0; i < 50; i++) {
      ids.add(ds.add(FullEntity.newBuilder(things.newKey()).set("i", i).build()).getKey().getId());
    }
    Set<Long> unique = new HashSet<>(ids);
    assertEquals(ids.size(), unique.size(), "no id is handed out twice");
    long ascendingByOne = 0;
    for (int i = 1; i < ids.size(); i++) {
      if (ids.get(i) == ids.get(i - 1) + 1) {
        ascendingByOne++;
      }
    }
    assertEquals(0, ascendingByOne, "ids are scattered, not sequential: " + ids);
    long spread =
        unique.stream().mapToLong(Long::longValue).max().orElseThrow()
            - unique.stream().mapToLong(Long::longValue).min().orElseThrow();
    assertTrue(spread > 1L << 40, "ids spread over a wide range: " + ids);
    assertTrue(unique.stream().allMatch(id -> id > 0 && id < 1L << 53));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void reserveIdsAcceptsCompleteKeysOnly(ClientTransport transport) throws Exception {
    Datastore ds = transport.client(datastore);
    KeyFactory things = ds.newKeyFactory().setKind("Thing");
    List<Key> reserved = ds.reserveIds(things.newKey(12345), things.newKey(67890));
    assertEquals(2, reserved.size());
    var proto = Clients.proto(datastore);
    Clients.assertFails(
        com.google.rpc.Code.INVALID_ARGUMENT,
        "incomplete",
        () ->
            proto.reserveIds(
                com.google.datastore.v1.ReserveIdsRequest.newBuilder()
                    .addKeys(
                        com.google.datastore.v1.Key.newBuilder()
                            .addPath(
                                com.google.datastore.v1.Key.PathElement.newBuilder()
                                    .setKind("Thing")))
                    .build()));
    Clients.assertFails(
        com.google.rpc.Code.INVALID_ARGUMENT,
        "needs incomplete keys",
        () ->
            proto.allocateIds(
                com.google.datastore.v1.AllocateIdsRequest.newBuilder()
                    .addKeys(Clients.key("Thing", "named"))
                    .build()));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void insertOfAnExistingEntityAndUpdateOfAMissingOneFail(ClientTransport transport) {
    Datastore ds = transport.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Thing").newKey("x");
    ds.add(Entity.newBuilder(key).set("v", 1).build());
    Clients.assertClientFails(
        "ALREADY_EXISTS",
        "entity already exists",
        () -> ds.add(Entity.newBuilder(key).set("v", 2).build()));
    Key missing = ds.newKeyFactory().setKind("Thing").newKey("missing");
    Clients.assertClientFails(
        "NOT_FOUND", "no entity to update", () -> ds.update(Entity.newBuilder(missing).build()));
    assertEquals(1, ds.get(key).getLong("v"));
    assertNull(ds.get(missing));
  }

  @Test
  void resultsCarryVersionCreateTimeAndUpdateTime() throws Exception {
    var proto = Clients.proto(datastore);
    com.google.datastore.v1.Key key =
        com.google.datastore.v1.Key.newBuilder()
            .setPartitionId(Clients.partition())
            .addPath(
                com.google.datastore.v1.Key.PathElement.newBuilder()
                    .setKind("Versioned")
                    .setName("v"))
            .build();
    CommitResponse first = proto.commit(Clients.upsert(key, 1));
    CommitResponse second = proto.commit(Clients.upsert(key, 2));
    var firstResult = first.getMutationResults(0);
    var secondResult = second.getMutationResults(0);
    assertTrue(
        secondResult.getVersion() > firstResult.getVersion(), "versions grow with each write");
    assertEquals(firstResult.getCreateTime(), secondResult.getCreateTime(), "create time stays");
    assertEquals(
        second.getCommitTime(), secondResult.getUpdateTime(), "update time is the commit time");
    assertNotEquals(firstResult.getUpdateTime(), secondResult.getUpdateTime());
    assertFalse(firstResult.hasKey(), "the key is echoed only when allocated");

    LookupResponse lookup =
        proto.lookup(LookupRequest.newBuilder().setProjectId(Clients.PROJECT).addKeys(key).build());
    var found = lookup.getFound(0);
    assertEquals(secondResult.getVersion(), found.getVersion());
    assertEquals(secondResult.getUpdateTime(), found.getUpdateTime());
    assertEquals(firstResult.getCreateTime(), found.getCreateTime());
    assertTrue(lookup.hasReadTime());

    CommitResponse deleted =
        proto.commit(
            CommitRequest.newBuilder()
                .setMode(CommitRequest.Mode.NON_TRANSACTIONAL)
                .addMutations(Mutation.newBuilder().setDelete(key))
                .build());
    assertTrue(deleted.getMutationResults(0).getVersion() > secondResult.getVersion());
    LookupResponse gone =
        proto.lookup(LookupRequest.newBuilder().setProjectId(Clients.PROJECT).addKeys(key).build());
    assertEquals(1, gone.getMissingCount());
    assertTrue(gone.getMissing(0).getVersion() >= deleted.getMutationResults(0).getVersion());
  }
}
