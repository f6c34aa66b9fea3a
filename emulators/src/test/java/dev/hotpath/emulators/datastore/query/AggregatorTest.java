package dev.hotpath.emulators.datastore.query;

import static com.google.datastore.v1.PropertyFilter.Operator.EQUAL;
import static dev.hotpath.emulators.datastore.query.TestData.entity;
import static dev.hotpath.emulators.datastore.query.TestData.filter;
import static dev.hotpath.emulators.datastore.query.TestData.key;
import static dev.hotpath.emulators.datastore.query.TestData.query;
import static dev.hotpath.emulators.datastore.query.TestData.ref;
import static dev.hotpath.emulators.datastore.query.TestData.time;
import static dev.hotpath.emulators.datastore.query.TestData.unindexed;
import static dev.hotpath.emulators.datastore.query.TestData.val;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.datastore.v1.AggregationQuery;
import com.google.datastore.v1.AggregationQuery.Aggregation;
import com.google.datastore.v1.AggregationResultBatch;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.QueryResultBatch.MoreResultsType;
import com.google.datastore.v1.Value;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import com.google.protobuf.NullValue;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AggregatorTest {
  private final QueryEngine engine = new QueryEngine();
  private final TestData.Store store =
      new TestData.Store()
          .put(
              entity(key("Sale", 1), "amount", 89, "shop", "a"),
              entity(key("Sale", 2), "amount", 95, "shop", "a"),
              entity(key("Sale", 3), "amount", 55, "shop", "b"),
              entity(key("Sale", 4), "amount", "n/a", "shop", "b"),
              entity(key("Sale", 5), "shop", "b"),
              entity(key("Sale", 6), "amount", unindexed(1000), "shop", "c"));

  private static Aggregation count() {
    return Aggregation.newBuilder().setCount(Aggregation.Count.getDefaultInstance()).build();
  }

  private static Aggregation sum(String property) {
    return Aggregation.newBuilder()
        .setSum(Aggregation.Sum.newBuilder().setProperty(ref(property)))
        .build();
  }

  private static Aggregation avg(String property) {
    return Aggregation.newBuilder()
        .setAvg(Aggregation.Avg.newBuilder().setProperty(ref(property)))
        .build();
  }

  private static Aggregation as(Aggregation aggregation, String alias) {
    return aggregation.toBuilder().setAlias(alias).build();
  }

  private Map<String, Value> aggregate(Query.Builder nested, Aggregation... aggregations) {
    AggregationQuery.Builder query = AggregationQuery.newBuilder().setNestedQuery(nested);
    for (Aggregation aggregation : aggregations) {
      query.addAggregations(aggregation);
    }
    AggregationResultBatch batch = engine.aggregate(query.build(), store);
    assertEquals(MoreResultsType.NO_MORE_RESULTS, batch.getMoreResults());
    return batch.getAggregationResults(0).getAggregatePropertiesMap();
  }

  @Test
  void countHonoursFiltersLimitAndUpTo() {
    assertEquals(val(6), aggregate(query("Sale"), count()).get("property_1"));
    assertEquals(
        val(3),
        aggregate(query("Sale").setFilter(filter("shop", EQUAL, "b")), count()).get("property_1"));
    assertEquals(
        val(2), aggregate(query("Sale").setLimit(Int32Value.of(2)), count()).get("property_1"));
    assertEquals(val(4), aggregate(query("Sale").setOffset(2), count()).get("property_1"));
    Aggregation upTo =
        Aggregation.newBuilder()
            .setCount(Aggregation.Count.newBuilder().setUpTo(Int64Value.of(4)))
            .build();
    assertEquals(val(4), aggregate(query("Sale"), upTo).get("property_1"));
  }

  @Test
  void sumAndAverageSkipNonNumericValuesAndEntitiesLackingTheProperty() {
    Map<String, Value> result =
        aggregate(
            query("Sale"), as(count(), "n"), as(sum("amount"), "total"), as(avg("amount"), "mean"));
    // Sale 5 lacks amount and Sale 6's amount is unindexed: both leave the nested query entirely.
    assertEquals(val(4), result.get("n"));
    assertEquals(val(239), result.get("total"));
    assertEquals(239 / 3.0, result.get("mean").getDoubleValue(), 1e-9);
  }

  @Test
  void sumTurnsDoubleWithDoublesOrOverflowAndAverageOfNothingIsNull() {
    TestData.Store mixed =
        new TestData.Store()
            .put(
                entity(key("M", 1), "v", 1),
                entity(key("M", 2), "v", 0.5),
                entity(key("B", 1), "v", Long.MAX_VALUE),
                entity(key("B", 2), "v", 1),
                entity(key("T", 1), "v", time(1, 500_000)),
                entity(key("S", 1), "v", "text"));
    AggregationQuery.Builder base =
        AggregationQuery.newBuilder().addAggregations(sum("v")).addAggregations(avg("v"));
    var m =
        engine
            .aggregate(base.clone().setNestedQuery(query("M")).build(), mixed)
            .getAggregationResults(0);
    assertEquals(val(1.5), m.getAggregatePropertiesOrThrow("property_1"));
    assertEquals(val(0.75), m.getAggregatePropertiesOrThrow("property_2"));
    var b =
        engine
            .aggregate(base.clone().setNestedQuery(query("B")).build(), mixed)
            .getAggregationResults(0);
    assertTrue(
        b.getAggregatePropertiesOrThrow("property_1").hasDoubleValue(), "overflow gives a double");
    var t =
        engine
            .aggregate(base.clone().setNestedQuery(query("T")).build(), mixed)
            .getAggregationResults(0);
    assertEquals(
        val(1_000_500L), t.getAggregatePropertiesOrThrow("property_1"), "timestamps sum as micros");
    var s =
        engine
            .aggregate(base.clone().setNestedQuery(query("S")).build(), mixed)
            .getAggregationResults(0);
    assertEquals(val(0), s.getAggregatePropertiesOrThrow("property_1"));
    assertEquals(
        NullValue.NULL_VALUE, s.getAggregatePropertiesOrThrow("property_2").getNullValue());
    assertTrue(s.getAggregatePropertiesOrThrow("property_2").hasNullValue());
  }

  @Test
  void invalidAggregations() {
    AggregationQuery none = AggregationQuery.newBuilder().setNestedQuery(query("Sale")).build();
    assertInvalid(none, "1 to 5");
    AggregationQuery six =
        AggregationQuery.newBuilder()
            .setNestedQuery(query("Sale"))
            .addAllAggregations(java.util.Collections.nCopies(6, count()))
            .build();
    assertInvalid(six, "1 to 5");
    AggregationQuery duplicate =
        AggregationQuery.newBuilder()
            .setNestedQuery(query("Sale"))
            .addAggregations(as(count(), "x"))
            .addAggregations(as(sum("amount"), "x"))
            .build();
    assertInvalid(duplicate, "more than once");
    AggregationQuery negative =
        AggregationQuery.newBuilder()
            .setNestedQuery(query("Sale"))
            .addAggregations(
                Aggregation.newBuilder()
                    .setCount(Aggregation.Count.newBuilder().setUpTo(Int64Value.of(-1))))
            .build();
    assertInvalid(negative, "non-negative");
    assertInvalid(AggregationQuery.newBuilder().addAggregations(count()).build(), "nested_query");
  }

  private void assertInvalid(AggregationQuery query, String messagePart) {
    EmulatorException e =
        assertThrows(EmulatorException.class, () -> engine.aggregate(query, store));
    assertEquals(Code.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains(messagePart), () -> "message was: " + e.getMessage());
  }
}
