package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Cursor;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.EntityQuery;
import com.google.cloud.datastore.FullEntity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import com.google.cloud.datastore.ListValue;
import com.google.cloud.datastore.ProjectionEntity;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.QueryResults;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.StructuredQuery.CompositeFilter;
import com.google.cloud.datastore.StructuredQuery.OrderBy;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.datastore.v1.QueryResultBatch.MoreResultsType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Queries driven through the real google-cloud-datastore client against the emulator. */
@ExtendWith(ExpectedDifferences.class)
class QueryConformanceTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(b -> b);

  private final Datastore ds = datastore.client();
  private final KeyFactory tasks = ds.newKeyFactory().setKind("Task");

  private static <T> List<String> drain(QueryResults<T> results, Function<T, Key> keyOf) {
    List<String> names = new ArrayList<>();
    results.forEachRemaining(
        r -> {
          Key key = keyOf.apply(r);
          names.add(key.hasName() ? key.getName() : Long.toString(key.getId()));
        });
    return names;
  }

  private static List<String> names(QueryResults<Entity> results) {
    return drain(results, Entity::getKey);
  }

  /** Writes in commits of at most 400 entities (production allows 500 mutations per commit). */
  private void putAll(List<FullEntity<?>> entities) {
    for (int from = 0; from < entities.size(); from += 400) {
      ds.put(
          entities
              .subList(from, Math.min(entities.size(), from + 400))
              .toArray(FullEntity<?>[]::new));
    }
  }

  @Test
  void filtersAndOrdersAsInTheDocumentationExample() {
    ds.put(
        Entity.newBuilder(tasks.newKey("a")).set("done", false).set("priority", 4).build(),
        Entity.newBuilder(tasks.newKey("b")).set("done", false).set("priority", 5).build(),
        Entity.newBuilder(tasks.newKey("c")).set("done", true).set("priority", 9).build(),
        Entity.newBuilder(tasks.newKey("d")).set("done", false).set("priority", 1).build(),
        Entity.newBuilder(tasks.newKey("e")).set("done", false).build());
    EntityQuery query =
        Query.newEntityQueryBuilder()
            .setKind("Task")
            .setFilter(
                CompositeFilter.and(
                    PropertyFilter.eq("done", false), PropertyFilter.ge("priority", 4)))
            .setOrderBy(OrderBy.desc("priority"))
            .build();
    assertEquals(List.of("b", "a"), names(ds.run(query)));
  }

  @Test
  void iteratorPagesAcrossBatchesUntilTheEnd() {
    List<FullEntity<?>> entities = new ArrayList<>();
    for (int i = 1; i <= 750; i++) {
      entities.add(Entity.newBuilder(tasks.newKey(i)).set("n", i % 10).build());
    }
    putAll(entities);
    // 750 results need three batches of at most 300: the iterator follows NOT_FINISHED.
    List<String> all = names(ds.run(Query.newEntityQueryBuilder().setKind("Task").build()));
    assertEquals(750, all.size());
    assertEquals(750, new HashSet<>(all).size());
    assertEquals("1", all.get(0));
    assertEquals("750", all.get(749));
    // With a limit above one batch the client lowers the limit for each follow-up batch.
    EntityQuery limited =
        Query.newEntityQueryBuilder()
            .setKind("Task")
            .setOrderBy(OrderBy.desc("n"))
            .setLimit(620)
            .build();
    List<String> first620 = names(ds.run(limited));
    assertEquals(620, first620.size());
    assertEquals(620, new HashSet<>(first620).size());
    assertEquals(List.of("9", "19", "29"), first620.subList(0, 3));
  }

  @Test
  void cursorPagingSurvivesInsertsAndDeletesBetweenPages() {
    List<FullEntity<?>> entities = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      entities.add(
          Entity.newBuilder(tasks.newKey(String.format("t%02d", i))).set("rank", i).build());
    }
    putAll(entities);
    List<String> seen = new ArrayList<>();
    Cursor cursor = null;
    int pages = 0;
    while (true) {
      EntityQuery.Builder page =
          Query.newEntityQueryBuilder()
              .setKind("Task")
              .setOrderBy(OrderBy.asc("rank"))
              .setLimit(25);
      if (cursor != null) {
        page.setStartCursor(cursor);
      }
      QueryResults<Entity> results = ds.run(page.build());
      List<String> names = names(results);
      if (names.isEmpty()) {
        assertEquals(MoreResultsType.NO_MORE_RESULTS, results.getMoreResults());
        break;
      }
      seen.addAll(names);
      cursor = results.getCursorAfter();
      pages++;
      if (pages == 1) {
        ds.delete(tasks.newKey("t25"), tasks.newKey("t26")); // the cursor's entity and the next one
        ds.put(
            Entity.newBuilder(tasks.newKey("early")).set("rank", 0).build()); // before the cursor
        ds.put(Entity.newBuilder(tasks.newKey("late")).set("rank", 40).build()); // ahead of it
      }
    }
    assertEquals(3, pages);
    assertEquals(25 + 34 + 1, seen.size());
    assertEquals("t27", seen.get(25));
    assertTrue(seen.contains("late") && !seen.contains("early") && !seen.contains("t26"));
    assertEquals(seen.size(), new HashSet<>(seen).size());
  }

  @Test
  void offsetLimitAndMoreResults() {
    List<FullEntity<?>> entities = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      entities.add(Entity.newBuilder(tasks.newKey(i)).set("n", i).build());
    }
    putAll(entities);
    QueryResults<Entity> page =
        ds.run(
            Query.newEntityQueryBuilder()
                .setKind("Task")
                .setOrderBy(OrderBy.asc("n"))
                .setOffset(5)
                .setLimit(3)
                .build());
    assertEquals(List.of("6", "7", "8"), names(page));
    assertEquals(5, page.getSkippedResults());
    assertEquals(MoreResultsType.MORE_RESULTS_AFTER_LIMIT, page.getMoreResults());
    QueryResults<Entity> rest =
        ds.run(
            Query.newEntityQueryBuilder()
                .setKind("Task")
                .setOrderBy(OrderBy.asc("n"))
                .setStartCursor(page.getCursorAfter())
                .build());
    assertEquals(List.of("9", "10"), names(rest));
  }

  @Test
  void inNotInNotEqualAndOrFilters() {
    ds.put(
        Entity.newBuilder(tasks.newKey("a"))
            .set("tag", "learn", "fun")
            .set("category", "Work")
            .build(),
        Entity.newBuilder(tasks.newKey("b")).set("tag", "study").set("category", "Chores").build(),
        Entity.newBuilder(tasks.newKey("c"))
            .set("tag", "play")
            .set("category", "Home")
            .set("starred", true)
            .build(),
        Entity.newBuilder(tasks.newKey("d")).set("tag", "rest").build());
    assertEquals(
        List.of("a", "b"),
        names(
            ds.run(
                Query.newEntityQueryBuilder()
                    .setKind("Task")
                    .setFilter(PropertyFilter.in("tag", ListValue.of("learn", "study")))
                    .build())));
    assertEquals(
        List.of("c"),
        names(
            ds.run(
                Query.newEntityQueryBuilder()
                    .setKind("Task")
                    .setFilter(
                        PropertyFilter.not_in("category", ListValue.of("Work", "Chores", "School")))
                    .build())));
    // != needs the property to exist: "d" has no category.
    assertEquals(
        List.of("b", "c"),
        names(
            ds.run(
                Query.newEntityQueryBuilder()
                    .setKind("Task")
                    .setFilter(PropertyFilter.neq("category", "Work"))
                    .build())));
    assertEquals(
        List.of("a", "c"),
        names(
            ds.run(
                Query.newEntityQueryBuilder()
                    .setKind("Task")
                    .setFilter(
                        CompositeFilter.or(
                            PropertyFilter.eq("starred", true), PropertyFilter.eq("tag", "fun")))
                    .build())));
  }

  @Test
  void ancestorKindlessAndKeysOnlyQueries() {
    Key list = ds.newKeyFactory().setKind("TaskList").newKey("default");
    KeyFactory children =
        ds.newKeyFactory()
            .setKind("Task")
            .addAncestors(com.google.cloud.datastore.PathElement.of("TaskList", "default"));
    ds.put(
        Entity.newBuilder(list).build(),
        Entity.newBuilder(children.newKey("x")).set("p", 1).build(),
        Entity.newBuilder(children.newKey("y")).set("p", 2).build(),
        Entity.newBuilder(tasks.newKey("orphan")).set("p", 3).build());
    assertEquals(
        List.of("x", "y"),
        names(
            ds.run(
                Query.newEntityQueryBuilder()
                    .setKind("Task")
                    .setFilter(PropertyFilter.hasAncestor(list))
                    .build())));
    // Kindless, in key order: kind "Task" sorts before "TaskList", a parent before its children.
    assertEquals(
        List.of("orphan", "default", "x", "y"),
        names(
            ds.run(
                Query.newEntityQueryBuilder()
                    .setFilter(
                        PropertyFilter.gt(
                            "__key__", ds.newKeyFactory().setKind("Task").newKey("a")))
                    .build())));
    assertEquals(
        List.of("y", "x"),
        drain(
            ds.run(
                Query.newKeyQueryBuilder()
                    .setKind("Task")
                    .setFilter(PropertyFilter.hasAncestor(list))
                    .setOrderBy(OrderBy.desc("__key__"))
                    .build()),
            k -> k));
  }

  @Test
  void projectionsWithArraysDistinctAndTimestamps() {
    Timestamp created = Timestamp.ofTimeMicroseconds(1_700_000_000_123_456L);
    ds.put(
        Entity.newBuilder(tasks.newKey(1))
            .set("category", "home")
            .set("priority", 3)
            .set("tags", "fun", "chores")
            .set("created", created)
            .build(),
        Entity.newBuilder(tasks.newKey(2)).set("category", "work").set("priority", 1).build(),
        Entity.newBuilder(tasks.newKey(3)).set("category", "home").set("priority", 1).build());
    QueryResults<ProjectionEntity> projected =
        ds.run(
            Query.newProjectionEntityQueryBuilder()
                .setKind("Task")
                .setProjection("category", "priority")
                .setOrderBy(OrderBy.asc("priority"), OrderBy.asc("category"))
                .build());
    List<String> rows = new ArrayList<>();
    projected.forEachRemaining(p -> rows.add(p.getString("category") + p.getLong("priority")));
    assertEquals(List.of("home1", "work1", "home3"), rows);

    QueryResults<ProjectionEntity> perTag =
        ds.run(
            Query.newProjectionEntityQueryBuilder().setKind("Task").setProjection("tags").build());
    List<String> tags = new ArrayList<>();
    perTag.forEachRemaining(p -> tags.add(p.getString("tags")));
    assertEquals(List.of("chores", "fun"), tags);

    QueryResults<ProjectionEntity> distinct =
        ds.run(
            Query.newProjectionEntityQueryBuilder()
                .setKind("Task")
                .setProjection("category", "priority")
                .setDistinctOn("category")
                .setOrderBy(OrderBy.asc("category"), OrderBy.asc("priority"))
                .build());
    assertEquals(List.of("3", "2"), drain(distinct, ProjectionEntity::getKey));

    QueryResults<ProjectionEntity> times =
        ds.run(
            Query.newProjectionEntityQueryBuilder()
                .setKind("Task")
                .setProjection("created")
                .build());
    assertEquals(created, times.next().getTimestamp("created"));
  }

  @Test
  void unindexedValuesAreInvisibleToQueries() {
    ds.put(
        Entity.newBuilder(tasks.newKey("a"))
            .set("note", StringValue.newBuilder("x").setExcludeFromIndexes(true).build())
            .build(),
        Entity.newBuilder(tasks.newKey("b")).set("note", "x").build());
    assertEquals(
        List.of("b"),
        names(
            ds.run(
                Query.newEntityQueryBuilder()
                    .setKind("Task")
                    .setFilter(PropertyFilter.eq("note", "x"))
                    .build())));
  }

  @Test
  void invalidQueriesAndCursorsAreRejectedWithInvalidArgument() {
    ds.put(Entity.newBuilder(tasks.newKey("a")).set("p", 1).set("q", 2).build());
    EntityQuery twoNotEquals =
        Query.newEntityQueryBuilder()
            .setKind("Task")
            .setFilter(CompositeFilter.and(PropertyFilter.neq("p", 0), PropertyFilter.neq("q", 0)))
            .build();
    DatastoreException tooMany =
        assertThrows(DatastoreException.class, () -> ds.run(twoNotEquals).hasNext());
    assertEquals("INVALID_ARGUMENT", tooMany.getReason());
    assertTrue(tooMany.getMessage().contains("NOT_EQUAL"), tooMany.getMessage());

    EntityQuery garbage =
        Query.newEntityQueryBuilder()
            .setKind("Task")
            .setStartCursor(Cursor.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
            .build();
    DatastoreException bad =
        assertThrows(DatastoreException.class, () -> ds.run(garbage).hasNext());
    assertEquals("INVALID_ARGUMENT", bad.getReason());
    assertTrue(bad.getMessage().contains("start_cursor"), bad.getMessage());
  }
}
