package dev.hotpath.emulators.datastore.query;

import static com.google.datastore.v1.PropertyFilter.Operator.EQUAL;
import static com.google.datastore.v1.PropertyFilter.Operator.GREATER_THAN;
import static com.google.datastore.v1.PropertyFilter.Operator.IN;
import static dev.hotpath.emulators.datastore.query.TestData.array;
import static dev.hotpath.emulators.datastore.query.TestData.asc;
import static dev.hotpath.emulators.datastore.query.TestData.desc;
import static dev.hotpath.emulators.datastore.query.TestData.entity;
import static dev.hotpath.emulators.datastore.query.TestData.filter;
import static dev.hotpath.emulators.datastore.query.TestData.key;
import static dev.hotpath.emulators.datastore.query.TestData.names;
import static dev.hotpath.emulators.datastore.query.TestData.query;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.datastore.v1.Query;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryOrderTest {
  private final QueryEngine engine = new QueryEngine();

  private List<String> run(Query.Builder query, TestData.Store store) {
    return names(engine.run(query.build(), store));
  }

  @Test
  void withoutOrdersResultsComeInKeyOrder() {
    TestData.Store store =
        new TestData.Store()
            .put(
                entity(key("K", "b")),
                entity(key("K", 2)),
                entity(key("K", "a")),
                entity(key("K", 1)));
    assertEquals(List.of("1", "2", "a", "b"), run(query("K"), store));
  }

  @Test
  void multipleOrdersApplyInSequenceWithKeyBreakingTies() {
    TestData.Store store =
        new TestData.Store()
            .put(
                entity(key("K", "a"), "p", 1, "c", "x"),
                entity(key("K", "b"), "p", 2, "c", "y"),
                entity(key("K", "c"), "p", 2, "c", "x"),
                entity(key("K", "d"), "p", 1, "c", "x"),
                entity(key("K", "e"), "c", "x"));
    assertEquals(List.of("b", "c", "a", "d"), run(query("K").addOrder(desc("p")), store));
    assertEquals(
        List.of("c", "b", "a", "d"), run(query("K").addOrder(desc("p")).addOrder(asc("c")), store));
    assertEquals(
        List.of("e", "d", "c", "b", "a"), run(query("K").addOrder(desc("__key__")), store));
  }

  @Test
  void arraysSortBySmallestAscendingAndLargestDescending() {
    TestData.Store store =
        new TestData.Store()
            .put(
                entity(key("K", "wide"), "n", array(1, 9)),
                entity(key("K", "narrow"), "n", array(4, 5, 6, 7)));
    // Production's documented surprise: [1, 9] precedes [4..7] in both directions.
    assertEquals(List.of("wide", "narrow"), run(query("K").addOrder(asc("n")), store));
    assertEquals(List.of("wide", "narrow"), run(query("K").addOrder(desc("n")), store));
  }

  @Test
  void filteredArraysSortByTheElementsThatSatisfyTheFilter() {
    TestData.Store store =
        new TestData.Store()
            .put(entity(key("K", "x"), "n", array(1, 9)), entity(key("K", "y"), "n", array(5, 6)));
    assertEquals(
        List.of("y", "x"),
        run(query("K").setFilter(filter("n", GREATER_THAN, 4)).addOrder(asc("n")), store));
    assertEquals(
        List.of("x", "y"),
        run(query("K").setFilter(filter("n", IN, List.of(1, 6))).addOrder(asc("n")), store));
  }

  @Test
  void entityAppearsOnceAndEntitiesLackingTheOrderPropertyAreSkipped() {
    TestData.Store store =
        new TestData.Store()
            .put(entity(key("K", "x"), "n", array(3, 1, 2)), entity(key("K", "y"), "m", 1));
    assertEquals(List.of("x"), run(query("K").addOrder(asc("n")), store));
  }

  @Test
  void inequalityFilterImpliesOrderingByItsProperty() {
    TestData.Store store =
        new TestData.Store()
            .put(
                entity(key("K", "a"), "p", 5),
                entity(key("K", "b"), "p", 3),
                entity(key("K", "c"), "p", 4));
    assertEquals(
        List.of("b", "c", "a"), run(query("K").setFilter(filter("p", GREATER_THAN, 1)), store));
  }

  @Test
  void sortOnAnEqualityFilteredPropertyFallsBackToKeys() {
    TestData.Store store =
        new TestData.Store()
            .put(
                entity(key("K", "a"), "t", array("x", "z")),
                entity(key("K", "b"), "t", array("a", "x")));
    assertEquals(
        List.of("a", "b"),
        run(query("K").setFilter(filter("t", EQUAL, "x")).addOrder(asc("t")), store));
  }

  @Test
  void mixedTypesSortByTypeRank() {
    TestData.Store store =
        new TestData.Store()
            .put(
                entity(key("K", "s"), "v", "text"),
                entity(key("K", "d"), "v", 3.2),
                entity(key("K", "i"), "v", 7),
                entity(key("K", "b"), "v", true),
                entity(key("K", "n"), "v", null));
    assertEquals(List.of("n", "i", "b", "s", "d"), run(query("K").addOrder(asc("v")), store));
  }
}
