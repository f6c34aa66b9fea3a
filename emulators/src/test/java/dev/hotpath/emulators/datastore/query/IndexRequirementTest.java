package dev.hotpath.emulators.datastore.query;

import static com.google.datastore.v1.PropertyFilter.Operator.EQUAL;
import static com.google.datastore.v1.PropertyFilter.Operator.GREATER_THAN;
import static com.google.datastore.v1.PropertyFilter.Operator.HAS_ANCESTOR;
import static dev.hotpath.emulators.datastore.query.TestData.and;
import static dev.hotpath.emulators.datastore.query.TestData.asc;
import static dev.hotpath.emulators.datastore.query.TestData.desc;
import static dev.hotpath.emulators.datastore.query.TestData.filter;
import static dev.hotpath.emulators.datastore.query.TestData.key;
import static dev.hotpath.emulators.datastore.query.TestData.query;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.datastore.v1.Query;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexRequirementTest {

  private static Optional<CompositeIndex> need(Query.Builder query) {
    return IndexRequirement.of(query.build());
  }

  @Test
  void builtInIndexesServeSimpleQueries() {
    assertEquals(Optional.empty(), need(query("Task")));
    assertEquals(
        Optional.empty(),
        need(query("Task").setFilter(and(filter("a", EQUAL, 1), filter("b", EQUAL, 2)))));
    assertEquals(
        Optional.empty(),
        need(query("Task").setFilter(filter("p", GREATER_THAN, 1)).addOrder(desc("p"))));
    assertEquals(
        Optional.empty(), need(query("Task").addOrder(desc("p")).addOrder(asc("__key__"))));
    assertEquals(
        Optional.empty(),
        need(query("Task").setFilter(filter("__key__", HAS_ANCESTOR, key("L", 1)))));
  }

  @Test
  void equalityPlusInequalityOrOrderNeedsACompositeIndex() {
    assertEquals(
        Optional.of(
            new CompositeIndex(
                "Task",
                false,
                List.of(
                    new CompositeIndex.Property("done", false),
                    new CompositeIndex.Property("priority", true)))),
        need(
            query("Task")
                .setFilter(and(filter("done", EQUAL, false), filter("priority", GREATER_THAN, 3)))
                .addOrder(desc("priority"))));
  }

  @Test
  void ancestorWithOrderAndDescendingKeyNeedCompositeIndexes() {
    assertEquals(
        Optional.of(
            new CompositeIndex(
                "Task", true, List.of(new CompositeIndex.Property("created", false)))),
        need(
            query("Task")
                .setFilter(filter("__key__", HAS_ANCESTOR, key("L", 1)))
                .addOrder(asc("created"))));
    assertEquals(
        Optional.of(
            new CompositeIndex(
                "Task", false, List.of(new CompositeIndex.Property("__key__", true)))),
        need(query("Task").addOrder(desc("__key__"))));
  }
}
