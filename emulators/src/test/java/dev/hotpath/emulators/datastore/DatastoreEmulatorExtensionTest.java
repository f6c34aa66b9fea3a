package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import dev.hotpath.emulators.datastore.engine.Faults;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The extension: one emulator per class (shared with @Nested classes), empty before each test. What
 * one test leaves behind can only be seen by the next, so the sequence is a fixture class run whole
 * by JUnit's EngineTestKit; each test here runs alone.
 */
class DatastoreEmulatorExtensionTest {

  @Test
  void eachTestStartsEmptyWithTheConfiguredFaultsAndLimitsOnTheClassEmulator() {
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(TestsInARow.class)).execute();
    List<String> failures =
        results.testEvents().failed().stream()
            .map(
                e ->
                    e.getTestDescriptor().getDisplayName()
                        + ": "
                        + e.getRequiredPayload(TestExecutionResult.class)
                            .getThrowable()
                            .map(Throwable::toString)
                            .orElse("?"))
            .toList();
    assertEquals(List.of(), failures);
    assertEquals(
        3, results.testEvents().succeeded().count(), "the fixture's three tests ran and passed");
  }

  @Test
  void aClosedEmulatorCannotRestart() {
    DatastoreEmulator emulator = DatastoreEmulator.builder().build();
    emulator.close();
    emulator.close();
    assertThrows(IllegalStateException.class, emulator::start);
  }

  /**
   * The fixture (static and nested, so only the test above runs it): the first test leaves an
   * entity, faults and limits behind; the second and the @Nested one must not see them.
   */
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class TestsInARow {
    @RegisterExtension
    static final DatastoreEmulatorExtension datastore =
        DatastoreEmulatorExtension.create(b -> b.faults(Faults.parse("unavailable=0")));

    private static int firstPort;

    private static Key key(Datastore ds) {
      return ds.newKeyFactory().setKind("Thing").newKey("x");
    }

    @Test
    @Order(1)
    void leavesAnEntityFaultsAndLimitsBehind() {
      firstPort = datastore.emulator().port();
      Datastore ds = Clients.noRetry(datastore);
      ds.put(Entity.newBuilder(key(ds)).set("n", 1).build());
      assertNotNull(ds.get(key(ds)), "written");
      datastore.emulator().setWriteLimits(WriteLimits.production());
      datastore.emulator().setFaults(Faults.parse("unavailable=1"));
      assertThrows(
          DatastoreException.class,
          () -> ds.put(Entity.newBuilder(key(ds)).set("n", 2).build()),
          "the faults are in force for the rest of this test");
    }

    @Test
    @Order(2)
    void startsEmptyWithTheConfiguredFaultsAndLimits() {
      Datastore ds = Clients.noRetry(datastore);
      assertNull(ds.get(key(ds)), "reset before each test");
      for (int i = 0; i < 5; i++) {
        ds.put(Entity.newBuilder(key(ds)).set("n", i).build()); // no faults, no limits again
      }
      assertEquals(firstPort, datastore.emulator().port(), "one emulator per class");
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
}
