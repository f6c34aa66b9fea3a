package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.FullEntity;
import com.google.cloud.datastore.Key;
import dev.hotpath.datastoreclient.EmulatorGrpcRpc;
import dev.hotpath.emulators.datastore.store.FsyncPolicy;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a data dir, acknowledged writes survive a restart; without one, nothing does. */
class PersistenceConformanceTest {
  @TempDir Path dir;

  private static Datastore client(DatastoreEmulator emulator) {
    return DatastoreOptions.newBuilder()
        .setHost(emulator.host())
        .setProjectId("test-project")
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(ServiceOptions.getNoRetrySettings())
        .build()
        .getService();
  }

  private DatastoreEmulator start() throws Exception {
    return DatastoreEmulator.builder().dataDir(dir).build().start();
  }

  @Test
  void dataSurvivesARestart() throws Exception {
    Key kept;
    Key deleted;
    Key autoId;
    try (DatastoreEmulator emulator = start()) {
      Datastore ds = client(emulator);
      kept = ds.newKeyFactory().setKind("Thing").newKey("kept");
      deleted = ds.newKeyFactory().setKind("Thing").newKey("deleted");
      ds.put(
          Entity.newBuilder(kept).set("n", 1).build(),
          Entity.newBuilder(deleted).set("n", 1).build());
      ds.put(Entity.newBuilder(kept).set("n", 2).build());
      ds.delete(deleted);
      autoId =
          ds.add(
                  FullEntity.newBuilder(ds.newKeyFactory().setKind("Thing").newKey())
                      .set("n", 3)
                      .build())
              .getKey();
    }
    try (DatastoreEmulator emulator = start()) {
      Datastore ds = client(emulator);
      assertEquals(2, ds.get(kept).getLong("n"));
      assertNull(ds.get(deleted));
      assertEquals(3, ds.get(autoId).getLong("n"));
      ds.put(Entity.newBuilder(kept).set("n", 4).build());
    }
    try (DatastoreEmulator emulator = start()) {
      assertEquals(
          4, client(emulator).get(kept).getLong("n"), "the compacted snapshot plus the new log");
    }
  }

  @Test
  void concurrentCommitsOverGrpcAreDurableToo() throws Exception {
    // With a data dir the gRPC edge hands commits to worker threads (they wait for the flush).
    int writers = 8;
    try (DatastoreEmulator emulator = DatastoreEmulator.builder().dataDir(dir).build().start()) {
      Datastore ds =
          EmulatorGrpcRpc.optionsFor(emulator.host())
              .setProjectId("test-project")
              .setRetrySettings(ServiceOptions.getNoRetrySettings())
              .build()
              .getService();
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          Key key = ds.newKeyFactory().setKind("Grpc").newKey(w + 1);
          done.add(pool.submit(() -> ds.put(Entity.newBuilder(key).set("n", key.getId()).build())));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
        ds.close(); // not a try resource: Datastore.close() throws Exception,
        // InterruptedException included
      }
    }
    try (DatastoreEmulator emulator = start()) {
      Datastore ds = client(emulator);
      for (long id = 1; id <= writers; id++) {
        assertEquals(id, ds.get(ds.newKeyFactory().setKind("Grpc").newKey(id)).getLong("n"));
      }
    }
  }

  @Test
  void versionsKeepGrowingAcrossARestart() throws Exception {
    var key = Clients.key("Thing", "v");
    long before;
    try (DatastoreEmulator emulator = start()) {
      before =
          Clients.proto(emulator.host())
              .commit(Clients.upsert(key, 1))
              .getMutationResults(0)
              .getVersion();
    }
    try (DatastoreEmulator emulator = start()) {
      var proto = Clients.proto(emulator.host());
      var found =
          proto
              .lookup(com.google.datastore.v1.LookupRequest.newBuilder().addKeys(key).build())
              .getFound(0);
      assertEquals(before, found.getVersion());
      long after = proto.commit(Clients.upsert(key, 2)).getMutationResults(0).getVersion();
      assertTrue(after > before);
    }
  }

  @Test
  void aTornTailFromACrashIsCutOffAndEverythingBeforeItLoads() throws Exception {
    Key key;
    try (DatastoreEmulator emulator =
        DatastoreEmulator.builder().dataDir(dir).fsync(FsyncPolicy.NEVER).build().start()) {
      Datastore ds = client(emulator);
      key = ds.newKeyFactory().setKind("Thing").newKey("x");
      ds.put(Entity.newBuilder(key).set("n", 1).build());
      ds.put(Entity.newBuilder(key).set("n", 2).build());
    }
    // a crash in the middle of appending: a frame header that promises more than was written
    Files.write(
        dir.resolve("datastore.log"),
        new byte[] {0, 0, 1, 0, 9, 9, 9, 9, 1, 2, 3},
        StandardOpenOption.APPEND);
    try (DatastoreEmulator emulator = start()) {
      Datastore ds = client(emulator);
      assertEquals(2, ds.get(key).getLong("n"));
      ds.put(Entity.newBuilder(key).set("n", 3).build());
    }
    try (DatastoreEmulator emulator = start()) {
      assertEquals(3, client(emulator).get(key).getLong("n"));
    }
  }

  @Test
  void resetAlsoClearsTheDisk() throws Exception {
    Key key;
    try (DatastoreEmulator emulator = start()) {
      Datastore ds = client(emulator);
      key = ds.newKeyFactory().setKind("Thing").newKey("x");
      ds.put(Entity.newBuilder(key).set("n", 1).build());
      emulator.reset();
      assertNull(ds.get(key));
    }
    try (DatastoreEmulator emulator = start()) {
      assertNull(client(emulator).get(key));
    }
  }

  @Test
  void twoEmulatorsCannotShareADataDir() throws Exception {
    try (DatastoreEmulator first = start()) {
      UncheckedIOException e =
          assertThrows(
              UncheckedIOException.class, () -> DatastoreEmulator.builder().dataDir(dir).build());
      assertTrue(e.getMessage().contains("another emulator"), e.getMessage());
      assertNotEquals(0, first.port());
    }
  }

  @Test
  void withoutADataDirNothingSurvives() throws Exception {
    Key key;
    try (DatastoreEmulator emulator = DatastoreEmulator.builder().build().start()) {
      Datastore ds = client(emulator);
      key = ds.newKeyFactory().setKind("Thing").newKey("x");
      ds.put(Entity.newBuilder(key).set("n", 1).build());
    }
    try (DatastoreEmulator emulator = DatastoreEmulator.builder().build().start()) {
      assertNull(client(emulator).get(key));
    }
  }
}
