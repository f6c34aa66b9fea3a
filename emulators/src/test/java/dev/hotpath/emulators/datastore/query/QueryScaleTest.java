package dev.hotpath.emulators.datastore.query;

import static com.google.datastore.v1.PropertyFilter.Operator.GREATER_THAN_OR_EQUAL;
import static com.google.datastore.v1.QueryResultBatch.MoreResultsType.NOT_FINISHED;
import static dev.hotpath.emulators.datastore.query.TestData.desc;
import static dev.hotpath.emulators.datastore.query.TestData.entity;
import static dev.hotpath.emulators.datastore.query.TestData.filter;
import static dev.hotpath.emulators.datastore.query.TestData.key;
import static dev.hotpath.emulators.datastore.query.TestData.names;
import static dev.hotpath.emulators.datastore.query.TestData.query;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.datastore.v1.Query;
import com.google.datastore.v1.QueryResultBatch;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Thousands of entities paged the way the Java client pages: continue while NOT_FINISHED. */
class QueryScaleTest {

  @Test
  void pagesThroughThousandsOfEntitiesInBatchesWithoutLosingOrRepeatingAny() {
    TestData.Store store = new TestData.Store();
    for (int i = 0; i < 5000; i++) {
      store.put(entity(key("Reading", i + 1), "sensor", "s" + (i % 7), "value", i % 1000));
    }
    Query.Builder query =
        query("Reading")
            .setFilter(filter("value", GREATER_THAN_OR_EQUAL, 500))
            .addOrder(desc("value"));
    QueryEngine engine = new QueryEngine();
    List<String> seen = new ArrayList<>();
    ByteString cursor = ByteString.EMPTY;
    int batches = 0;
    QueryResultBatch batch;
    do {
      batch = engine.run(query.clone().setStartCursor(cursor).build(), store);
      seen.addAll(names(batch));
      cursor = batch.getEndCursor();
      batches++;
    } while (batch.getMoreResults() == NOT_FINISHED);
    assertEquals(2500, seen.size());
    assertEquals(2500, new HashSet<>(seen).size());
    assertEquals(9, batches);
    // Highest value first; ties (five readings per value) broken by ascending key.
    assertEquals(List.of("1000", "2000", "3000", "4000", "5000", "999"), seen.subList(0, 6));
  }
}
