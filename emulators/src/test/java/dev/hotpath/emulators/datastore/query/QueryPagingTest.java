package dev.hotpath.emulators.datastore.query;

import static com.google.datastore.v1.PropertyFilter.Operator.GREATER_THAN;
import static com.google.datastore.v1.QueryResultBatch.MoreResultsType.MORE_RESULTS_AFTER_CURSOR;
import static com.google.datastore.v1.QueryResultBatch.MoreResultsType.MORE_RESULTS_AFTER_LIMIT;
import static com.google.datastore.v1.QueryResultBatch.MoreResultsType.NOT_FINISHED;
import static com.google.datastore.v1.QueryResultBatch.MoreResultsType.NO_MORE_RESULTS;
import static dev.hotpath.emulators.datastore.query.TestData.asc;
import static dev.hotpath.emulators.datastore.query.TestData.entity;
import static dev.hotpath.emulators.datastore.query.TestData.filter;
import static dev.hotpath.emulators.datastore.query.TestData.key;
import static dev.hotpath.emulators.datastore.query.TestData.names;
import static dev.hotpath.emulators.datastore.query.TestData.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.datastore.v1.Query;
import com.google.datastore.v1.QueryResultBatch;
import com.google.protobuf.ByteString;
import com.google.protobuf.Int32Value;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryPagingTest {
  private final TestData.Store store = new TestData.Store();

  QueryPagingTest() {
    for (int i = 1; i <= 10; i++) {
      store.put(entity(key("K", String.format("e%02d", i)), "n", i));
    }
  }

  private static Query.Builder byN() {
    return query("K").addOrder(asc("n"));
  }

  @Test
  void limitAndOffset() {
    QueryResultBatch batch =
        new QueryEngine().run(byN().setOffset(2).setLimit(Int32Value.of(3)).build(), store);
    assertEquals(List.of("e03", "e04", "e05"), names(batch));
    assertEquals(2, batch.getSkippedResults());
    assertEquals(MORE_RESULTS_AFTER_LIMIT, batch.getMoreResults());
    // The skipped cursor points after e02: resuming from it yields e03 onwards.
    QueryResultBatch resumed =
        new QueryEngine()
            .run(
                byN().setStartCursor(batch.getSkippedCursor()).setLimit(Int32Value.of(1)).build(),
                store);
    assertEquals(List.of("e03"), names(resumed));
  }

  @Test
  void limitReachingTheEndReportsNoMoreResults() {
    QueryResultBatch batch =
        new QueryEngine().run(byN().setOffset(7).setLimit(Int32Value.of(3)).build(), store);
    assertEquals(List.of("e08", "e09", "e10"), names(batch));
    assertEquals(NO_MORE_RESULTS, batch.getMoreResults());
  }

  @Test
  void offsetBeyondTheResultsSkipsThemAll() {
    QueryResultBatch batch = new QueryEngine().run(byN().setOffset(50).build(), store);
    assertEquals(10, batch.getSkippedResults());
    assertEquals(List.of(), names(batch));
    assertEquals(NO_MORE_RESULTS, batch.getMoreResults());
  }

  @Test
  void batchCapAnswersNotFinishedAndEndCursorsPageThroughEverything() {
    QueryEngine engine = new QueryEngine(4);
    List<String> seen = new ArrayList<>();
    ByteString cursor = ByteString.EMPTY;
    List<QueryResultBatch.MoreResultsType> states = new ArrayList<>();
    do {
      QueryResultBatch batch = engine.run(byN().setStartCursor(cursor).build(), store);
      seen.addAll(names(batch));
      states.add(batch.getMoreResults());
      cursor = batch.getEndCursor();
    } while (states.get(states.size() - 1) == NOT_FINISHED);
    assertEquals(List.of(NOT_FINISHED, NOT_FINISHED, NO_MORE_RESULTS), states);
    assertEquals(10, seen.size());
    assertEquals("e10", seen.get(9));
  }

  @Test
  void perResultCursorsResumeRightAfterTheirResult() {
    QueryResultBatch batch = new QueryEngine().run(byN().build(), store);
    ByteString afterThird = batch.getEntityResults(2).getCursor();
    assertEquals(
        List.of("e04", "e05"),
        names(
            new QueryEngine()
                .run(byN().setStartCursor(afterThird).setLimit(Int32Value.of(2)).build(), store)));
  }

  @Test
  void cursorsSurviveInsertsAndDeletesBetweenPages() {
    QueryEngine engine = new QueryEngine();
    QueryResultBatch first = engine.run(byN().setLimit(Int32Value.of(3)).build(), store);
    assertEquals(List.of("e01", "e02", "e03"), names(first));
    store.delete(key("K", "e03")); // the cursor's own entity disappears
    store.delete(key("K", "e04"));
    store.put(entity(key("K", "early"), "n", 0)); // lands before the cursor: not returned
    store.put(entity(key("K", "mid"), "n", 5)); // ties with e05, sorts after it by key
    QueryResultBatch second =
        engine.run(
            byN().setStartCursor(first.getEndCursor()).setLimit(Int32Value.of(3)).build(), store);
    assertEquals(List.of("e05", "mid", "e06"), names(second));
  }

  @Test
  void endCursorBoundsTheResults() {
    QueryEngine engine = new QueryEngine();
    ByteString afterFourth = engine.run(byN().build(), store).getEntityResults(3).getCursor();
    QueryResultBatch bounded = engine.run(byN().setEndCursor(afterFourth).build(), store);
    assertEquals(List.of("e01", "e02", "e03", "e04"), names(bounded));
    assertEquals(MORE_RESULTS_AFTER_CURSOR, bounded.getMoreResults());
  }

  @Test
  void emptyResultKeepsTheStartCursorAsEndCursor() {
    QueryEngine engine = new QueryEngine();
    QueryResultBatch all = engine.run(byN().build(), store);
    QueryResultBatch after = engine.run(byN().setStartCursor(all.getEndCursor()).build(), store);
    assertEquals(List.of(), names(after));
    assertEquals(all.getEndCursor(), after.getEndCursor());
    assertEquals(NO_MORE_RESULTS, after.getMoreResults());
  }

  @Test
  void garbageAndForeignCursorsAreRejected() {
    QueryEngine engine = new QueryEngine();
    EmulatorException garbage =
        assertThrows(
            EmulatorException.class,
            () ->
                engine.run(
                    byN().setStartCursor(ByteString.copyFromUtf8("not a cursor")).build(), store));
    assertEquals(Code.INVALID_ARGUMENT, garbage.code());
    assertTrue(garbage.getMessage().contains("start_cursor"));

    ByteString cursor = engine.run(byN().build(), store).getEndCursor();
    Query other = byN().setFilter(filter("n", GREATER_THAN, 3)).setEndCursor(cursor).build();
    EmulatorException foreign =
        assertThrows(EmulatorException.class, () -> engine.run(other, store));
    assertEquals(Code.INVALID_ARGUMENT, foreign.code());
    assertTrue(foreign.getMessage().contains("different query"));

    ByteString truncated = cursor.substring(0, cursor.size() - 3);
    assertThrows(
        EmulatorException.class, () -> engine.run(byN().setStartCursor(truncated).build(), store));
  }

  @Test
  void zeroLimitReturnsNothingButReportsMore() {
    QueryResultBatch batch = new QueryEngine().run(byN().setLimit(Int32Value.of(0)).build(), store);
    assertEquals(0, batch.getEntityResultsCount());
    assertEquals(MORE_RESULTS_AFTER_LIMIT, batch.getMoreResults());
  }

  @Test
  void fullResultsCarryVersionAndTimes() {
    var result =
        new QueryEngine().run(byN().setLimit(Int32Value.of(1)).build(), store).getEntityResults(0);
    assertEquals(1, result.getVersion());
    assertTrue(result.hasCreateTime() && result.hasUpdateTime());
    assertTrue(!result.getCursor().isEmpty());
  }
}
