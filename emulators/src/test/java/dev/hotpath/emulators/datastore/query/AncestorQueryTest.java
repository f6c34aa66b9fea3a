package dev.hotpath.emulators.datastore.query;

import static com.google.datastore.v1.PropertyFilter.Operator.EQUAL;
import static com.google.datastore.v1.PropertyFilter.Operator.HAS_ANCESTOR;
import static dev.hotpath.emulators.datastore.query.TestData.and;
import static dev.hotpath.emulators.datastore.query.TestData.entity;
import static dev.hotpath.emulators.datastore.query.TestData.filter;
import static dev.hotpath.emulators.datastore.query.TestData.key;
import static dev.hotpath.emulators.datastore.query.TestData.names;
import static dev.hotpath.emulators.datastore.query.TestData.or;
import static dev.hotpath.emulators.datastore.query.TestData.query;
import static dev.hotpath.emulators.datastore.query.TestData.time;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Filter;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.QueryResultBatch;
import dev.hotpath.emulators.datastore.store.EntityStore;
import dev.hotpath.emulators.datastore.store.PartitionKey;
import dev.hotpath.emulators.datastore.store.PartitionSnapshot;
import dev.hotpath.emulators.datastore.store.StoreKey;
import dev.hotpath.emulators.datastore.store.VersionedEntity;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ancestor queries over the real {@link EntityStore}, which answers them from its ancestor index:
 * every result must equal what a scan of the whole kind gives, at the newest data and at pinned
 * snapshots.
 */
class AncestorQueryTest {
  private static final PartitionKey DEFAULT = new PartitionKey("test-project", "", "");
  private static final PartitionKey NS = new PartitionKey("test-project", "", "ns");

  private final QueryEngine engine = new QueryEngine();
  private final EntityStore store = new EntityStore();
  private long commit;

  AncestorQueryTest() {
    put(
        entity(key("Task", "root"), "p", 1),
        entity(key("Task", "root", "Task", "child"), "p", 2),
        entity(key("Task", "root", "Task", "child", "Task", "grandchild"), "p", 1),
        entity(key("Task", "root", "Note", "note"), "p", 1),
        entity(key("Task", "other"), "p", 1),
        entity(key("Task", "other", "Task", "stranger"), "p", 1),
        entity(key("Group", "g", "Task", "direct"), "p", 1),
        entity(key("Group", "g", "Shard", 7, "Task", "sharded"), "p", 2),
        entity(key("Group", "g", "Shard", 8, "Task", "sharded2"), "p", 1),
        entity(inNamespace(key("Group", "g", "Task", "namespaced")), "p", 1));
  }

  // Results come in key order: path element by element, kind before id, so Group/g/Shard/7/…
  // precedes Group/g/Task/….
  @Test
  void theAncestorItselfAndEveryLevelBeneathIt() {
    assertEquals(
        List.of("root", "child", "grandchild"), run(DEFAULT, ancestorQuery("Task", "root")));
    assertEquals(
        List.of("child", "grandchild"),
        run(DEFAULT, ancestorQuery("Task", "root", "Task", "child")));
    assertEquals(List.of("note"), run(DEFAULT, query("Note").setFilter(ancestor("Task", "root"))));
    assertEquals(
        List.of("sharded", "sharded2", "direct"), run(DEFAULT, ancestorQuery("Group", "g")));
    assertEquals(List.of("sharded"), run(DEFAULT, ancestorQuery("Group", "g", "Shard", 7)));
    assertEquals(List.of(), run(DEFAULT, ancestorQuery("Group", "missing")));
    assertEquals(
        List.of(),
        run(
            DEFAULT,
            ancestorQuery("Task", "root", "Task", "child", "Task", "grandchild", "Task", "none")));
  }

  @Test
  void theStoreOffersOnlyTheSubtreeAsCandidates() {
    PartitionSnapshot snapshot = store.snapshot(DEFAULT, store.lastCommit());
    List<String> candidates = new java.util.ArrayList<>();
    snapshot
        .ofKindUnder("Task", key("Task", "root").getPathList())
        .forEach(stored -> candidates.add(last(stored.entity().getKey())));
    candidates.sort(null);
    assertEquals(List.of("child", "grandchild", "root"), candidates);
  }

  @Test
  void namespacesAreSeparate() {
    assertEquals(List.of("namespaced"), run(NS, ancestorQuery("Group", "g")));
    assertEquals(List.of(), run(NS, ancestorQuery("Task", "root")));
  }

  @Test
  void theAncestorInAConjunctionScopesAndTheOtherFiltersStillApply() {
    Filter p1 = filter("p", EQUAL, 1);
    assertEquals(
        List.of("root", "grandchild"),
        run(DEFAULT, query("Task").setFilter(and(ancestor("Task", "root"), p1))));
    assertEquals(
        List.of("sharded2", "direct"),
        run(DEFAULT, query("Task").setFilter(and(p1, and(ancestor("Group", "g"))))));
  }

  @Test
  void aDisjunctionReadsTheWholeKind() {
    Filter scopedBranch = and(ancestor("Group", "g"), filter("p", EQUAL, 2));
    assertEquals(
        List.of("sharded", "child"),
        run(DEFAULT, query("Task").setFilter(or(scopedBranch, filter("p", EQUAL, 2)))));
  }

  @Test
  void deletedEntitiesAreGone() {
    delete(key("Task", "root", "Task", "child"));
    delete(key("Task", "root"));
    assertEquals(List.of("grandchild"), run(DEFAULT, ancestorQuery("Task", "root")));
    put(entity(key("Task", "root", "Task", "child"), "p", 3));
    assertEquals(List.of("child", "grandchild"), run(DEFAULT, ancestorQuery("Task", "root")));
  }

  @Test
  void aPinnedSnapshotSeesItsOwnMoment() {
    long pinned = store.pinLatest();
    try {
      put(entity(key("Task", "root", "Task", "late"), "p", 1));
      delete(key("Task", "root", "Task", "child", "Task", "grandchild"));
      put(entity(key("Task", "root"), "p", 9));
      assertEquals(
          List.of("root", "child", "grandchild"),
          run(DEFAULT, pinned, ancestorQuery("Task", "root")));
      assertEquals(
          List.of("root", "child", "late"),
          run(DEFAULT, store.lastCommit(), ancestorQuery("Task", "root")));
      // the entity as it was when the snapshot was taken
      assertEquals(
          List.of("child"),
          run(
              DEFAULT,
              pinned,
              query("Task").setFilter(and(ancestor("Task", "root"), filter("p", EQUAL, 2)))));
    } finally {
      store.unpin(pinned);
    }
  }

  private List<String> run(PartitionKey partition, Query.Builder query) {
    return run(partition, store.lastCommit(), query);
  }

  /** The names the scoped query answers, after checking a whole-kind scan answers the same. */
  private List<String> run(PartitionKey partition, long version, Query.Builder query) {
    PartitionSnapshot snapshot = store.snapshot(partition, version);
    QueryResultBatch scoped = engine.run(query.build(), snapshot);
    QueryResultBatch scanned = engine.run(query.build(), new WholeKindScan(snapshot));
    assertEquals(scanned, scoped);
    return names(scoped);
  }

  private static Query.Builder ancestorQuery(Object... ancestorPath) {
    return query("Task").setFilter(ancestor(ancestorPath));
  }

  private static Filter ancestor(Object... path) {
    return filter("__key__", HAS_ANCESTOR, key(path));
  }

  private static String last(Key key) {
    return key.getPath(key.getPathCount() - 1).getName();
  }

  private static Key inNamespace(Key key) {
    return key.toBuilder()
        .setPartitionId(key.getPartitionId().toBuilder().setNamespaceId("ns"))
        .build();
  }

  private void put(Entity... entities) {
    store.write(
        () -> {
          commit++;
          for (Entity entity : entities) {
            store.install(
                StoreKey.of(entity.getKey()),
                new VersionedEntity(entity, commit, time(commit, 0), time(commit, 0)),
                commit);
          }
          store.publish(commit);
          return null;
        });
  }

  private void delete(Key key) {
    store.write(
        () -> {
          commit++;
          store.install(StoreKey.of(key), null, commit);
          store.publish(commit);
          return null;
        });
  }

  /** The same snapshot read the way queries read before the ancestor index: the whole kind. */
  private record WholeKindScan(PartitionSnapshot snapshot) implements PartitionSnapshot {
    @Override
    public Iterable<VersionedEntity> ofKind(String kind) {
      return snapshot.ofKind(kind);
    }

    @Override
    public Iterable<VersionedEntity> ofKindUnder(String kind, List<Key.PathElement> ancestorPath) {
      return snapshot.ofKind(kind);
    }

    @Override
    public Iterable<VersionedEntity> all() {
      return snapshot.all();
    }
  }
}
