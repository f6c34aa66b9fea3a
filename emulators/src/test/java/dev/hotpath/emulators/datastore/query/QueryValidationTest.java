package dev.hotpath.emulators.datastore.query;

import static com.google.datastore.v1.PropertyFilter.Operator.EQUAL;
import static com.google.datastore.v1.PropertyFilter.Operator.GREATER_THAN;
import static com.google.datastore.v1.PropertyFilter.Operator.HAS_ANCESTOR;
import static com.google.datastore.v1.PropertyFilter.Operator.IN;
import static com.google.datastore.v1.PropertyFilter.Operator.NOT_EQUAL;
import static com.google.datastore.v1.PropertyFilter.Operator.NOT_IN;
import static dev.hotpath.emulators.datastore.query.TestData.and;
import static dev.hotpath.emulators.datastore.query.TestData.asc;
import static dev.hotpath.emulators.datastore.query.TestData.desc;
import static dev.hotpath.emulators.datastore.query.TestData.filter;
import static dev.hotpath.emulators.datastore.query.TestData.key;
import static dev.hotpath.emulators.datastore.query.TestData.or;
import static dev.hotpath.emulators.datastore.query.TestData.query;
import static dev.hotpath.emulators.datastore.query.TestData.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.datastore.v1.CompositeFilter;
import com.google.datastore.v1.Filter;
import com.google.datastore.v1.KindExpression;
import com.google.datastore.v1.Projection;
import com.google.datastore.v1.PropertyFilter;
import com.google.datastore.v1.Query;
import com.google.protobuf.Int32Value;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class QueryValidationTest {
  private final QueryEngine engine = new QueryEngine();

  private void rejects(Query.Builder query, String messagePart) {
    EmulatorException e =
        assertThrows(
            EmulatorException.class, () -> engine.run(query.build(), new TestData.Store()));
    assertEquals(Code.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains(messagePart), () -> "message was: " + e.getMessage());
  }

  private static List<Integer> numbers(int count) {
    return IntStream.range(0, count).boxed().toList();
  }

  @Test
  void kinds() {
    rejects(query("A").addKind(KindExpression.newBuilder().setName("B")), "at most one kind");
    rejects(query(""), "kind must not be empty");
    rejects(query("__kind__"), "reserved");
  }

  @Test
  void inAndNotInLists() {
    rejects(query("K").setFilter(filter("p", IN, 1)), "non-empty array");
    rejects(query("K").setFilter(filter("p", IN, List.of())), "non-empty array");
    rejects(query("K").setFilter(filter("p", IN, numbers(31))), "at most 30");
    rejects(query("K").setFilter(filter("p", NOT_IN, numbers(11))), "at most 10");
    rejects(query("K").setFilter(filter("p", EQUAL, List.of(1, 2))), "cannot take an array value");
  }

  @Test
  void notEqualAndNotInCombinations() {
    rejects(
        query("K").setFilter(and(filter("p", NOT_EQUAL, 1), filter("q", NOT_EQUAL, 2))),
        "at most one NOT_EQUAL or NOT_IN");
    rejects(
        query("K").setFilter(and(filter("p", NOT_IN, List.of(1)), filter("q", IN, List.of(2)))),
        "cannot be combined");
    rejects(
        query("K").setFilter(or(filter("p", NOT_IN, List.of(1)), filter("q", EQUAL, 2))),
        "cannot be combined");
  }

  @Test
  void malformedFilters() {
    rejects(
        query("K")
            .setFilter(
                Filter.newBuilder()
                    .setCompositeFilter(
                        CompositeFilter.newBuilder().setOp(CompositeFilter.Operator.AND))),
        "at least one filter");
    rejects(
        query("K")
            .setFilter(
                Filter.newBuilder()
                    .setPropertyFilter(
                        PropertyFilter.newBuilder().setProperty(ref("p")).setOp(EQUAL))),
        "has no value");
    rejects(
        query("K")
            .setFilter(
                Filter.newBuilder()
                    .setPropertyFilter(
                        PropertyFilter.newBuilder()
                            .setProperty(ref("p"))
                            .setValue(TestData.val(1)))),
        "no operator");
    rejects(query("K").setFilter(filter("p", HAS_ANCESTOR, key("A", 1))), "apply to __key__");
    rejects(query("K").setFilter(filter("__key__", HAS_ANCESTOR, "x")), "must be a key");
    rejects(query("K").setFilter(filter("__key__", EQUAL, "x")), "needs key values");
  }

  @Test
  void tooManyDisjunctionsOrInequalities() {
    List<Filter> ors = new ArrayList<>(Collections.nCopies(31, filter("p", EQUAL, 1)));
    rejects(query("K").setFilter(or(ors.toArray(Filter[]::new))), "disjunctions");
    rejects(
        query("K").setFilter(and(filter("a", IN, numbers(6)), filter("b", IN, numbers(6)))),
        "disjunctions");
    Filter[] inequalities =
        IntStream.range(0, 11)
            .mapToObj(i -> filter("p" + i, GREATER_THAN, 0))
            .toArray(Filter[]::new);
    rejects(query("K").setFilter(and(inequalities)), "at most 10 properties");
  }

  @Test
  void kindlessRestrictions() {
    rejects(Query.newBuilder().setFilter(filter("p", EQUAL, 1)), "kindless");
    rejects(Query.newBuilder().addOrder(asc("p")), "kindless");
    rejects(Query.newBuilder().addOrder(desc("__key__")), "kindless");
  }

  @Test
  void projectionsAndDistinct() {
    rejects(
        query("K")
            .addProjection(Projection.newBuilder().setProperty(ref("p")))
            .addProjection(Projection.newBuilder().setProperty(ref("p"))),
        "more than once");
    rejects(
        query("K")
            .addProjection(Projection.newBuilder().setProperty(ref("p")))
            .setFilter(filter("p", EQUAL, 1)),
        "cannot be projected");
    rejects(query("K").addDistinctOn(ref("a")).addOrder(asc("b")), "distinct_on");
  }

  @Test
  void offsetAndLimit() {
    rejects(query("K").setOffset(-1), "offset");
    rejects(query("K").setLimit(Int32Value.of(-1)), "limit");
  }

  @Test
  void findNearestIsUnimplemented() {
    Query nearest =
        query("K").setFindNearest(com.google.datastore.v1.FindNearest.getDefaultInstance()).build();
    EmulatorException e =
        assertThrows(EmulatorException.class, () -> engine.run(nearest, new TestData.Store()));
    assertEquals(Code.UNIMPLEMENTED, e.code());
  }
}
