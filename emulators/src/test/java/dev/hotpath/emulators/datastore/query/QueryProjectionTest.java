package dev.hotpath.emulators.datastore.query;

import static com.google.datastore.v1.PropertyFilter.Operator.LESS_THAN;
import static dev.hotpath.emulators.datastore.query.TestData.array;
import static dev.hotpath.emulators.datastore.query.TestData.asc;
import static dev.hotpath.emulators.datastore.query.TestData.entity;
import static dev.hotpath.emulators.datastore.query.TestData.filter;
import static dev.hotpath.emulators.datastore.query.TestData.key;
import static dev.hotpath.emulators.datastore.query.TestData.names;
import static dev.hotpath.emulators.datastore.query.TestData.query;
import static dev.hotpath.emulators.datastore.query.TestData.ref;
import static dev.hotpath.emulators.datastore.query.TestData.time;
import static dev.hotpath.emulators.datastore.query.TestData.val;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.datastore.v1.Entity;
import com.google.datastore.v1.EntityResult;
import com.google.datastore.v1.Projection;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.QueryResultBatch;
import com.google.protobuf.Int32Value;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryProjectionTest {
  private final QueryEngine engine = new QueryEngine();

  private static Query.Builder project(String kind, String... properties) {
    Query.Builder query = query(kind);
    for (String property : properties) {
      query.addProjection(Projection.newBuilder().setProperty(ref(property)));
    }
    return query;
  }

  private static List<String> pairs(QueryResultBatch batch, String a, String b) {
    List<String> pairs = new ArrayList<>();
    for (EntityResult result : batch.getEntityResultsList()) {
      Entity e = result.getEntity();
      pairs.add(
          e.getPropertiesOrThrow(a).getStringValue()
              + "/"
              + e.getPropertiesOrThrow(b).getStringValue());
    }
    return pairs;
  }

  @Test
  void projectionReturnsOnlyProjectedProperties() {
    TestData.Store store =
        new TestData.Store()
            .put(entity(key("Task", "t"), "priority", 4, "done", false, "secret", "x"));
    QueryResultBatch batch = engine.run(project("Task", "priority", "done").build(), store);
    assertEquals(EntityResult.ResultType.PROJECTION, batch.getEntityResultType());
    Entity projected = batch.getEntityResults(0).getEntity();
    assertEquals(key("Task", "t"), projected.getKey());
    assertEquals(val(4), projected.getPropertiesOrThrow("priority"));
    assertEquals(val(false), projected.getPropertiesOrThrow("done"));
    assertFalse(projected.containsProperties("secret"));
    assertEquals(0, batch.getEntityResults(0).getVersion());
  }

  @Test
  void projectingArraysYieldsOneResultPerCombinationMatchingTheFilter() {
    // The production documentation's example: collaborators < 'charlie' keeps alice and bob.
    TestData.Store store =
        new TestData.Store()
            .put(
                entity(
                    key("Task", "t"),
                    "tag",
                    array("fun", "programming"),
                    "collaborators",
                    array("alice", "bob", "dave")));
    QueryResultBatch batch =
        engine.run(
            project("Task", "tag", "collaborators")
                .setFilter(filter("collaborators", LESS_THAN, "charlie"))
                .build(),
            store);
    assertEquals(
        List.of("fun/alice", "programming/alice", "fun/bob", "programming/bob"),
        pairs(batch, "tag", "collaborators"));
  }

  @Test
  void projectionRowsPageWithCursors() {
    TestData.Store store =
        new TestData.Store().put(entity(key("K", "x"), "t", array("a", "b", "c")));
    QueryResultBatch first =
        engine.run(project("K", "t").setLimit(Int32Value.of(2)).build(), store);
    QueryResultBatch rest =
        engine.run(project("K", "t").setStartCursor(first.getEndCursor()).build(), store);
    assertEquals(2, first.getEntityResultsCount());
    assertEquals(val("c"), rest.getEntityResults(0).getEntity().getPropertiesOrThrow("t"));
    assertEquals(1, rest.getEntityResultsCount());
  }

  @Test
  void distinctOnKeepsTheFirstResultPerGroupAcrossPages() {
    TestData.Store store =
        new TestData.Store()
            .put(
                entity(key("Task", 1), "category", "home", "priority", 3),
                entity(key("Task", 2), "category", "work", "priority", 1),
                entity(key("Task", 3), "category", "home", "priority", 1),
                entity(key("Task", 4), "category", "work", "priority", 2));
    Query.Builder distinct =
        project("Task", "category", "priority")
            .addDistinctOn(ref("category"))
            .addOrder(asc("category"))
            .addOrder(asc("priority"));
    assertEquals(List.of("3", "2"), names(engine.run(distinct.build(), store)));
    QueryResultBatch first = engine.run(distinct.clone().setLimit(Int32Value.of(1)).build(), store);
    store.put(entity(key("Task", 5), "category", "home", "priority", 9));
    QueryResultBatch second =
        engine.run(distinct.clone().setStartCursor(first.getEndCursor()).build(), store);
    assertEquals(List.of("2"), names(second));
  }

  @Test
  void keysOnlyQueriesReturnBareKeys() {
    TestData.Store store = new TestData.Store().put(entity(key("K", "a"), "p", 1));
    QueryResultBatch batch = engine.run(project("K", "__key__").build(), store);
    assertEquals(EntityResult.ResultType.KEY_ONLY, batch.getEntityResultType());
    assertEquals(
        Entity.newBuilder().setKey(key("K", "a")).build(), batch.getEntityResults(0).getEntity());
  }

  @Test
  void projectedTimestampsBecomeMicrosecondIntegers() {
    TestData.Store store =
        new TestData.Store().put(entity(key("K", "a"), "at", time(12, 345_678_000)));
    var value =
        engine
            .run(project("K", "at").build(), store)
            .getEntityResults(0)
            .getEntity()
            .getPropertiesOrThrow("at");
    assertEquals(12_345_678L, value.getIntegerValue());
    assertEquals(ResultEntities.TIMESTAMP_MICROS_MEANING, value.getMeaning());
  }

  @Test
  void entitiesLackingAProjectedPropertyAreSkipped() {
    TestData.Store store =
        new TestData.Store().put(entity(key("K", "a"), "p", 1), entity(key("K", "b"), "q", 1));
    assertEquals(List.of("a"), names(engine.run(project("K", "p").build(), store)));
  }
}
