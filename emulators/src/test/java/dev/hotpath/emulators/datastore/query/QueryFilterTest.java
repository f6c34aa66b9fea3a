package dev.hotpath.emulators.datastore.query;

import static com.google.datastore.v1.PropertyFilter.Operator.EQUAL;
import static com.google.datastore.v1.PropertyFilter.Operator.GREATER_THAN;
import static com.google.datastore.v1.PropertyFilter.Operator.GREATER_THAN_OR_EQUAL;
import static com.google.datastore.v1.PropertyFilter.Operator.HAS_ANCESTOR;
import static com.google.datastore.v1.PropertyFilter.Operator.IN;
import static com.google.datastore.v1.PropertyFilter.Operator.LESS_THAN;
import static com.google.datastore.v1.PropertyFilter.Operator.LESS_THAN_OR_EQUAL;
import static com.google.datastore.v1.PropertyFilter.Operator.NOT_EQUAL;
import static com.google.datastore.v1.PropertyFilter.Operator.NOT_IN;
import static dev.hotpath.emulators.datastore.query.TestData.and;
import static dev.hotpath.emulators.datastore.query.TestData.array;
import static dev.hotpath.emulators.datastore.query.TestData.entity;
import static dev.hotpath.emulators.datastore.query.TestData.filter;
import static dev.hotpath.emulators.datastore.query.TestData.key;
import static dev.hotpath.emulators.datastore.query.TestData.names;
import static dev.hotpath.emulators.datastore.query.TestData.or;
import static dev.hotpath.emulators.datastore.query.TestData.query;
import static dev.hotpath.emulators.datastore.query.TestData.unindexed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.datastore.v1.Filter;
import com.google.datastore.v1.Query;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryFilterTest {
  private final QueryEngine engine = new QueryEngine();
  private final TestData.Store store =
      new TestData.Store()
          .put(
              entity(key("Task", "a"), "p", 1, "tag", array("fun", "programming")),
              entity(key("Task", "b"), "p", 2, "tag", array("work")),
              entity(key("Task", "c"), "p", 3, "note", "no tags"),
              entity(key("Task", "d"), "p", unindexed(4), "tag", unindexed("fun")),
              entity(key("Task", "e"), "p", null, "tag", array()),
              entity(key("Other", "x"), "p", 1));

  private List<String> run(Filter filter) {
    return names(engine.run(query("Task").setFilter(filter).build(), store));
  }

  @Test
  void comparisonOperators() {
    assertEquals(List.of("a"), run(filter("p", EQUAL, 1)));
    // Ranges span the mixed-type order, so null (which sorts first) is below 3.
    assertEquals(List.of("e", "a", "b"), run(filter("p", LESS_THAN, 3)));
    assertEquals(
        List.of("a", "b", "c"),
        run(and(filter("p", GREATER_THAN, null), filter("p", LESS_THAN_OR_EQUAL, 3))));
    assertEquals(List.of("c"), run(filter("p", GREATER_THAN, 2)));
    assertEquals(List.of("b", "c"), run(filter("p", GREATER_THAN_OR_EQUAL, 2)));
    assertEquals(List.of("a", "c"), run(filter("p", IN, List.of(1, 3))));
  }

  @Test
  void nullIsAValueThatSortsFirst() {
    assertEquals(List.of("e"), run(filter("p", EQUAL, null)));
    assertEquals(List.of("e", "a"), run(filter("p", LESS_THAN, 2)));
  }

  @Test
  void notEqualAndNotInNeedThePropertyToExist() {
    // "e" has p = null, which exists; "d" has only an unindexed p, which does not.
    assertEquals(List.of("e", "a", "c"), run(filter("p", NOT_EQUAL, 2)));
    assertEquals(List.of("e", "c"), run(filter("p", NOT_IN, List.of(1, 2))));
    // An array matches != when some element differs; an empty array has no index entry at all.
    assertEquals(List.of("a", "b"), run(filter("tag", NOT_EQUAL, "fun")));
  }

  @Test
  void arraysMatchWhenAnyElementMatches() {
    assertEquals(List.of("a"), run(filter("tag", EQUAL, "fun")));
    assertEquals(
        List.of("a"), run(and(filter("tag", EQUAL, "fun"), filter("tag", EQUAL, "programming"))));
    assertEquals(List.of("a", "b"), run(filter("tag", IN, List.of("programming", "work"))));
  }

  @Test
  void rangeFiltersOnOneArrayPropertyNeedOneElementSatisfyingAll() {
    // "fun" > "e" and "programming" < "q" hold for different elements; neither alone satisfies
    // both.
    assertEquals(
        List.of(), run(and(filter("tag", GREATER_THAN, "g"), filter("tag", LESS_THAN, "o"))));
    assertEquals(
        List.of("a"), run(and(filter("tag", GREATER_THAN, "e"), filter("tag", LESS_THAN, "g"))));
  }

  @Test
  void unindexedAndMissingPropertiesAreInvisible() {
    assertEquals(List.of(), run(filter("p", EQUAL, 4)));
    assertEquals(List.of("c"), run(filter("note", EQUAL, "no tags")));
    assertEquals(List.of("a"), run(filter("tag", LESS_THAN, "programming")));
  }

  @Test
  void compositeFilters() {
    assertEquals(
        List.of("a", "c"), run(or(filter("p", EQUAL, 1), filter("note", EQUAL, "no tags"))));
    assertEquals(
        List.of("b"),
        run(
            and(
                filter("p", GREATER_THAN, 1),
                or(filter("tag", EQUAL, "work"), filter("p", EQUAL, 9)))));
  }

  @Test
  void keyFiltersAndAncestors() {
    TestData.Store tree =
        new TestData.Store()
            .put(
                entity(key("List", "l1")),
                entity(key("List", "l1", "Task", 1)),
                entity(key("List", "l1", "Task", 2)),
                entity(key("List", "l1", "Task", 2, "Sub", "s")),
                entity(key("List", "l2", "Task", 3)));
    Query ancestorQuery =
        Query.newBuilder().setFilter(filter("__key__", HAS_ANCESTOR, key("List", "l1"))).build();
    assertEquals(List.of("l1", "1", "2", "s"), names(engine.run(ancestorQuery, tree)));
    Query tasks =
        query("Task")
            .setFilter(
                and(
                    filter("__key__", HAS_ANCESTOR, key("List", "l1")),
                    filter("__key__", GREATER_THAN, key("List", "l1", "Task", 1))))
            .build();
    assertEquals(List.of("2"), names(engine.run(tasks, tree)));
    Query byKeys =
        query("Task")
            .setFilter(
                filter(
                    "__key__",
                    IN,
                    List.of(key("List", "l2", "Task", 3), key("List", "l1", "Task", 1))))
            .build();
    assertEquals(List.of("1", "3"), names(engine.run(byKeys, tree)));
  }

  @Test
  void kindlessQueryReturnsEveryKindInKeyOrder() {
    Query all =
        Query.newBuilder().setFilter(filter("__key__", GREATER_THAN, key("Other", "x"))).build();
    assertEquals(List.of("a", "b", "c", "d", "e"), names(engine.run(all, store)));
  }

  @Test
  void dottedNamesReachIntoEmbeddedEntities() {
    TestData.Store people =
        new TestData.Store()
            .put(
                entity(key("P", "ann"), "address", entity(key("Address", 1), "city", "Oslo")),
                entity(key("P", "bob"), "address", entity(key("Address", 2), "city", "Rome")),
                entity(
                    key("P", "cid"),
                    "address",
                    unindexed(entity(key("Address", 3), "city", "Oslo"))));
    assertEquals(
        List.of("ann"),
        names(
            engine.run(
                query("P").setFilter(filter("address.city", EQUAL, "Oslo")).build(), people)));
  }
}
