package dev.hotpath.emulators.datastore;

import static com.google.cloud.datastore.aggregation.Aggregation.avg;
import static com.google.cloud.datastore.aggregation.Aggregation.count;
import static com.google.cloud.datastore.aggregation.Aggregation.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.datastore.AggregationQuery;
import com.google.cloud.datastore.AggregationResult;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.EntityQuery;
import com.google.cloud.datastore.KeyFactory;
import com.google.cloud.datastore.LongValue;
import com.google.cloud.datastore.NullValue;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.cloud.datastore.Transaction;
import com.google.common.collect.Iterables;
import com.google.datastore.v1.AggregationQuery.Aggregation;
import com.google.datastore.v1.KindExpression;
import com.google.datastore.v1.PartitionId;
import com.google.datastore.v1.RunAggregationQueryRequest;
import com.google.datastore.v1.client.DatastoreFactory;
import com.google.datastore.v1.client.DatastoreOptions;
import com.google.protobuf.Int64Value;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** COUNT, SUM and AVG through {@code datastore.runAggregation(...)} of the real client. */
@ExtendWith(ExpectedDifferences.class)
class QueryAggregationConformanceTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(b -> b);

  private final Datastore ds = datastore.client();
  private final KeyFactory sales = ds.newKeyFactory().setKind("Sales");

  @BeforeEach
  void sales() {
    ds.put(
        Entity.newBuilder(sales.newKey("s1")).set("amount", 89).set("customerId", 1).build(),
        Entity.newBuilder(sales.newKey("s2")).set("amount", 95).set("customerId", 1).build(),
        Entity.newBuilder(sales.newKey("s3")).set("amount", 55).set("customerId", 2).build(),
        Entity.newBuilder(sales.newKey("s4")).set("customerId", 2).build());
  }

  private AggregationResult run(AggregationQuery query) {
    return Iterables.getOnlyElement(ds.runAggregation(query));
  }

  @Test
  void countWithGeneratedAndCustomAliases() {
    EntityQuery all = Query.newEntityQueryBuilder().setKind("Sales").build();
    assertEquals(
        4L,
        run(Query.newAggregationQueryBuilder().over(all).addAggregation(count()).build())
            .get("property_1"));
    EntityQuery customerTwo =
        Query.newEntityQueryBuilder()
            .setKind("Sales")
            .setFilter(PropertyFilter.eq("customerId", 2))
            .build();
    assertEquals(
        2L,
        run(Query.newAggregationQueryBuilder()
                .over(customerTwo)
                .addAggregation(count().as("total"))
                .build())
            .get("total"));
    EntityQuery limited = Query.newEntityQueryBuilder().setKind("Sales").setLimit(2).build();
    assertEquals(
        2L,
        run(Query.newAggregationQueryBuilder()
                .over(limited)
                .addAggregation(count().as("at_least"))
                .build())
            .get("at_least"));
  }

  @Test
  void sumAndAverageLikeTheDocumentationExample() {
    EntityQuery base = Query.newEntityQueryBuilder().setKind("Sales").build();
    AggregationResult result =
        run(
            Query.newAggregationQueryBuilder()
                .over(base)
                .addAggregation(count().as("total_count"))
                .addAggregation(sum("amount").as("sales_sum"))
                .addAggregation(avg("amount").as("sales_avg"))
                .build());
    // s4 has no amount, so a query aggregating amount leaves it out of the count as well.
    assertEquals(3L, result.getLong("total_count"));
    assertEquals(239L, result.getLong("sales_sum"));
    assertEquals(79.66666667, result.getDouble("sales_avg"), 1e-6);
  }

  @Test
  void averageOfNoValuesIsNullAndSumIsZero() {
    EntityQuery none =
        Query.newEntityQueryBuilder()
            .setKind("Sales")
            .setFilter(PropertyFilter.eq("customerId", 99))
            .build();
    AggregationResult result =
        run(
            Query.newAggregationQueryBuilder()
                .over(none)
                .addAggregation(sum("amount").as("s"))
                .addAggregation(avg("amount").as("a"))
                .build());
    // The client's getDouble cannot read a NULL average, so compare the raw values.
    assertEquals(new AggregationResult(Map.of("s", LongValue.of(0), "a", NullValue.of())), result);
  }

  @Test
  void aggregationInsideATransactionSeesItsSnapshot() {
    Transaction txn = ds.newTransaction();
    EntityQuery all = Query.newEntityQueryBuilder().setKind("Sales").build();
    AggregationResult inTxn =
        Iterables.getOnlyElement(
            txn.runAggregation(
                Query.newAggregationQueryBuilder()
                    .over(all)
                    .addAggregation(count().as("n"))
                    .build()));
    assertEquals(4L, inTxn.get("n"));
    txn.rollback();
  }

  @Test
  void countUpToThroughTheProtoLevelClient() throws Exception {
    // The high-level client cannot set up_to; Google's proto-level client can.
    com.google.datastore.v1.client.Datastore raw =
        DatastoreFactory.get()
            .create(
                new DatastoreOptions.Builder()
                    .projectId(DatastoreEmulatorExtension.PROJECT)
                    .localHost(datastore.host())
                    .build());
    RunAggregationQueryRequest request =
        RunAggregationQueryRequest.newBuilder()
            .setProjectId(DatastoreEmulatorExtension.PROJECT)
            .setPartitionId(
                PartitionId.newBuilder().setProjectId(DatastoreEmulatorExtension.PROJECT))
            .setAggregationQuery(
                com.google.datastore.v1.AggregationQuery.newBuilder()
                    .setNestedQuery(
                        com.google.datastore.v1.Query.newBuilder()
                            .addKind(KindExpression.newBuilder().setName("Sales")))
                    .addAggregations(
                        Aggregation.newBuilder()
                            .setAlias("capped")
                            .setCount(Aggregation.Count.newBuilder().setUpTo(Int64Value.of(3)))))
            .build();
    var properties =
        raw.runAggregationQuery(request)
            .getBatch()
            .getAggregationResults(0)
            .getAggregatePropertiesMap();
    assertEquals(3L, properties.get("capped").getIntegerValue());
  }
}
