package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Production-limit mode: per-entity (or per-group) write budgets, ABORTED with production's
 * message.
 */
class WriteLimitsConformanceTest {
  /** The emulator's time: write budgets refill only when a test moves it on. */
  static final ManualTicker time = new ManualTicker();

  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.writeLimits(WriteLimits.production()).ticker(time));

  /** So slow that no token comes back during a test, however loaded the machine is. */
  private static WriteLimits.Builder glacial() {
    return WriteLimits.builder().writesPerSecond(0.001);
  }

  private static Entity value(Key key, long n) {
    return Entity.newBuilder(key).set("n", n).build();
  }

  @Test
  void productionDefaultsAreOneWritePerSecondWithABurstOfTwo() {
    assertEquals(1, WriteLimits.production().writesPerSecond());
    assertEquals(2, WriteLimits.production().burst());
    assertEquals(WriteLimits.Scope.ENTITY, WriteLimits.production().scope());
  }

  @Test
  void writesBeyondTheBurstFailWithTheProductionMessageAndChangeNothing() {
    datastore.emulator().setWriteLimits(glacial().burst(2).build());
    Datastore ds = Clients.noRetry(datastore);
    Key hot = ds.newKeyFactory().setKind("Counter").newKey("hot");
    Key cold = ds.newKeyFactory().setKind("Counter").newKey("cold");
    ds.put(value(hot, 1));
    ds.put(value(hot, 2));
    Clients.assertClientFails(
        "ABORTED",
        "too much contention on these datastore entities. please try again.",
        () -> ds.put(value(hot, 3)));
    Clients.assertClientFails(
        "ABORTED", "too much contention", () -> ds.put(value(cold, 1), value(hot, 4)));

    assertEquals(2, ds.get(hot).getLong("n"));
    assertNull(ds.get(cold), "the whole commit failed, including the entity with budget left");
    ds.put(value(cold, 1));
    assertEquals(2, datastore.emulator().stats().aborted());
  }

  @Test
  void theBudgetRefillsOverTime() {
    datastore.emulator().setWriteLimits(WriteLimits.builder().writesPerSecond(2).burst(1).build());
    Datastore ds = Clients.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Counter").newKey("refill");
    ds.put(value(key, 1));
    Clients.assertClientFails("ABORTED", "too much contention", () -> ds.put(value(key, 2)));
    time.advance(Duration.ofMillis(499));
    Clients.assertClientFails("ABORTED", "too much contention", () -> ds.put(value(key, 2)));
    time.advance(Duration.ofMillis(1));
    ds.put(value(key, 2));
    assertEquals(2, ds.get(key).getLong("n"));
  }

  @Test
  void entityGroupScopeChargesTheRootEntity() {
    datastore
        .emulator()
        .setWriteLimits(glacial().burst(1).scope(WriteLimits.Scope.ENTITY_GROUP).build());
    Datastore ds = Clients.noRetry(datastore);
    Key room = ds.newKeyFactory().setKind("Room").newKey("busy");
    Key otherRoom = ds.newKeyFactory().setKind("Room").newKey("quiet");
    ds.put(value(Key.newBuilder(room, "Member", "a").build(), 1));
    Clients.assertClientFails(
        "ABORTED",
        "too much contention",
        () -> ds.put(value(Key.newBuilder(room, "Member", "b").build(), 1)));
    Clients.assertClientFails("ABORTED", "too much contention", () -> ds.put(value(room, 1)));
    ds.put(value(Key.newBuilder(otherRoom, "Member", "a").build(), 1));
  }

  @Test
  void limitsCanBeLiftedAtRuntime() {
    datastore.emulator().setWriteLimits(glacial().burst(1).build());
    Datastore ds = Clients.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Counter").newKey("lifted");
    ds.put(value(key, 1));
    Clients.assertClientFails("ABORTED", "too much contention", () -> ds.put(value(key, 2)));
    datastore.emulator().setWriteLimits(WriteLimits.unlimited());
    for (int i = 0; i < 20; i++) {
      ds.put(value(key, i));
    }
    assertEquals(19, ds.get(key).getLong("n"));
  }
}
