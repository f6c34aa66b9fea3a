package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Transaction;
import dev.hotpath.emulators.datastore.engine.EmulatorStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The first thing anyone needs: put, get, delete and a transaction through the real client. */
class SmokeTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  @Test
  void putGetDeleteAndTransactThroughTheRealClient() {
    Datastore ds = datastore.client();
    Key key = ds.newKeyFactory().setKind("Counter").newKey("a");
    ds.put(Entity.newBuilder(key).set("n", 1).build());
    assertEquals(1, ds.get(key).getLong("n"));

    Transaction txn = ds.newTransaction();
    Entity current = txn.get(key);
    txn.put(Entity.newBuilder(current).set("n", current.getLong("n") + 1).build());
    txn.commit();
    assertEquals(2, ds.get(key).getLong("n"));

    Transaction abandoned = ds.newTransaction();
    abandoned.put(Entity.newBuilder(key).set("n", 99).build());
    abandoned.rollback();
    assertEquals(2, ds.get(key).getLong("n"));

    ds.delete(key);
    assertNull(ds.get(key));
    EmulatorStats stats = datastore.emulator().stats();
    assertEquals(3, stats.commits(), "put, transaction, delete");
    assertEquals(3, stats.entityWrites());
  }

  @Test
  void theClientFindsTheEmulatorThroughDatastoreEmulatorHost() {
    // The client reads DATASTORE_EMULATOR_HOST / DATASTORE_PROJECT_ID from the environment or,
    // first,
    // from system properties of the same name; properties keep this test from touching the real
    // env.
    System.setProperty("DATASTORE_EMULATOR_HOST", datastore.emulator().host());
    System.setProperty("DATASTORE_PROJECT_ID", "env-project");
    try {
      // credentials stay explicit: looking for default ones could probe the network
      Datastore ds =
          DatastoreOptions.newBuilder()
              .setCredentials(NoCredentials.getInstance())
              .build()
              .getService();
      Key key = ds.newKeyFactory().setKind("Env").newKey("e");
      ds.put(Entity.newBuilder(key).set("n", 1).build());
      assertEquals(1, ds.get(key).getLong("n"));
      assertEquals("env-project", ds.get(key).getKey().getProjectId());
    } finally {
      System.clearProperty("DATASTORE_EMULATOR_HOST");
      System.clearProperty("DATASTORE_PROJECT_ID");
    }
  }

  @Test
  void allocatedIdsAreCompleteAndConflictingCommitIsAborted() {
    Datastore ds = datastore.client();
    Key allocated = ds.allocateId(ds.newKeyFactory().setKind("Thing").newKey());
    assertNotNull(allocated.getId());

    Key key = ds.newKeyFactory().setKind("Thing").newKey("x");
    ds.put(Entity.newBuilder(key).set("v", 0).build());
    Transaction first = ds.newTransaction();
    first.get(key);
    ds.put(Entity.newBuilder(key).set("v", 1).build());
    first.put(Entity.newBuilder(key).set("v", 2).build());
    DatastoreException e = assertThrows(DatastoreException.class, first::commit);
    assertEquals("ABORTED", e.getReason());
    assertEquals(1, ds.get(key).getLong("v"));
  }
}
