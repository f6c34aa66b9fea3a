package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import dev.hotpath.emulators.datastore.engine.Faults;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Injected faults as the real client experiences them. */
class FaultConformanceTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  private static Entity value(Key key, long n) {
    return Entity.newBuilder(key).set("n", n).build();
  }

  @Test
  void unavailableFailsBeforeAnythingHappens() {
    Datastore ds = Clients.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Thing").newKey("x");
    datastore.emulator().setFaults(Faults.parse("unavailable=1"));
    Clients.assertClientFails("UNAVAILABLE", "injected fault", () -> ds.put(value(key, 1)));
    Clients.assertClientFails("UNAVAILABLE", "injected fault", () -> ds.get(key));
    datastore.emulator().setFaults(Faults.none());
    assertNull(ds.get(key), "the failed commit was not applied");
    assertEquals(2, datastore.emulator().stats().injectedFaults());
    assertEquals(0, datastore.emulator().stats().commits());
  }

  @Test
  void deadlineExceededFailsBeforeAnythingHappens() {
    Datastore ds = Clients.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Thing").newKey("x");
    datastore.emulator().setFaults(Faults.builder().deadlineExceeded(1).build());
    Clients.assertClientFails("DEADLINE_EXCEEDED", "injected fault", () -> ds.put(value(key, 1)));
    datastore.emulator().setFaults(Faults.none());
    assertNull(ds.get(key));
  }

  @Test
  void aLostResponseFailsTheCallButTheCommitIsApplied() {
    Datastore ds = Clients.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Thing").newKey("x");
    datastore.emulator().setFaults(Faults.parse("lost-response=1"));
    Clients.assertClientFails("DEADLINE_EXCEEDED", "injected fault", () -> ds.put(value(key, 7)));
    datastore.emulator().setFaults(Faults.none());
    assertEquals(
        7, ds.get(key).getLong("n"), "the commit was applied although the caller saw an error");
    assertEquals(1, datastore.emulator().stats().commits());
  }

  @Test
  void aRetryingClientResendsALostInsertAndSeesItsOwnWrite() {
    Datastore ds =
        datastore.client(); // default retries: a lost commit response is re-sent silently
    Key key = ds.newKeyFactory().setKind("Thing").newKey("once");
    datastore.emulator().setFaults(Faults.parse("lost-response=1"));
    DatastoreException e =
        Clients.assertClientFails(
            "ALREADY_EXISTS", "entity already exists", () -> ds.add(value(key, 1)));
    datastore.emulator().setFaults(Faults.none());
    assertEquals(1, ds.get(key).getLong("n"), e.getMessage());
  }

  @Test
  void aSeedRepeatsTheSameSequenceOfFaults() {
    Datastore ds = Clients.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Thing").newKey("x");
    Faults half = Faults.parse("unavailable=0.5,seed=42");
    datastore.emulator().setFaults(half);
    List<Boolean> first = outcomes(ds, key);
    datastore.emulator().setFaults(half);
    List<Boolean> second = outcomes(ds, key);
    assertEquals(first, second);
    long failures = first.stream().filter(failed -> failed).count();
    assertTrue(failures > 5 && failures < 35, "about half of 40 calls fail: " + first);
  }

  private static List<Boolean> outcomes(Datastore ds, Key key) {
    List<Boolean> failed = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      try {
        ds.get(key);
        failed.add(false);
      } catch (DatastoreException e) {
        assertEquals("UNAVAILABLE", e.getReason());
        failed.add(true);
      }
    }
    return failed;
  }
}
