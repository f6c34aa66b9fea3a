package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import dev.hotpath.emulators.datastore.engine.Faults;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension: one emulator per class (shared with @Nested classes), empty before each test. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatastoreEmulatorExtensionTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.faults(Faults.parse("unavailable=0")));

  private static int firstPort;

  private static Key key(Datastore ds) {
    return ds.newKeyFactory().setKind("Thing").newKey("x");
  }

  @Test
  @Order(1)
  void writesInOneTest() {
    firstPort = datastore.emulator().port();
    Datastore ds = datastore.client();
    ds.put(Entity.newBuilder(key(ds)).set("n", 1).build());
    datastore.emulator().setFaults(Faults.parse("unavailable=1"));
    datastore.emulator().setWriteLimits(WriteLimits.production());
  }

  @Test
  @Order(2)
  void theNextTestStartsEmptyWithTheConfiguredFaultsAndLimits() {
    Datastore ds = Clients.noRetry(datastore);
    assertNull(ds.get(key(ds)), "reset before each test");
    for (int i = 0; i < 5; i++) {
      ds.put(Entity.newBuilder(key(ds)).set("n", i).build()); // no faults, no limits again
    }
    assertEquals(firstPort, datastore.emulator().port(), "one emulator per class");
  }

  @Test
  @Order(3)
  void aClosedEmulatorCannotRestart() {
    DatastoreEmulator emulator = DatastoreEmulator.builder().build();
    emulator.close();
    emulator.close();
    assertThrows(IllegalStateException.class, emulator::start);
  }

  @Nested
  class NestedTests {
    @Test
    void shareTheOuterEmulator() {
      assertEquals(firstPort, datastore.emulator().port());
      Datastore ds = datastore.client();
      assertNull(ds.get(key(ds)));
    }
  }
}
