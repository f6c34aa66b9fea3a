package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.AggregationQuery;
import com.google.datastore.v1.AggregationResultBatch;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.QueryResultBatch;
import com.google.datastore.v1.QueryResultBatch.MoreResultsType;
import com.google.protobuf.ByteString;
import dev.hotpath.emulators.EmulatorException;
import dev.hotpath.emulators.datastore.store.PartitionSnapshot;
import java.util.List;

/**
 * Evaluates Datastore queries and aggregations over a {@link PartitionSnapshot}. The store resolves
 * the partition and the transaction; this class owns filters, orders, cursors, projections and
 * aggregation. The caller sets {@code snapshot_version} and {@code read_time}.
 *
 * <p>A batch holds at most {@code maxBatchSize} results (300 by default, like production); a query
 * with more answers {@code NOT_FINISHED}, and the client continues from the batch's end cursor.
 */
public final class QueryEngine {
  public static final int DEFAULT_MAX_BATCH_SIZE = 300;

  private final int maxBatchSize;

  public QueryEngine() {
    this(DEFAULT_MAX_BATCH_SIZE);
  }

  public QueryEngine(int maxBatchSize) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be positive, got " + maxBatchSize);
    }
    this.maxBatchSize = maxBatchSize;
  }

  /**
   * Runs {@code query} and answers one batch: its entity results (with version, create and update
   * time), {@code end_cursor}, {@code skipped_results}/{@code skipped_cursor} and {@code
   * more_results}.
   *
   * @throws EmulatorException INVALID_ARGUMENT naming the problem for a malformed query
   */
  public QueryResultBatch run(Query query, PartitionSnapshot snapshot) {
    QueryPlan plan = QueryPlan.of(query);
    ResultWindow window = ResultWindow.of(plan, RowSource.rows(plan, snapshot));
    List<ResultRow> rows = window.rows;
    int skipped = Math.min(plan.offset, window.size());
    int first = window.start + skipped;
    int remaining = window.end - first;
    int taken = Math.min(Math.min(plan.limit, maxBatchSize), remaining);

    QueryResultBatch.Builder batch =
        QueryResultBatch.newBuilder()
            .setEntityResultType(ResultEntities.typeOf(plan))
            .setSkippedResults(skipped);
    ByteString endCursor = plan.startCursor;
    if (skipped > 0) {
      endCursor = plan.cursors.encode(rows.get(first - 1).position());
      batch.setSkippedCursor(endCursor);
    }
    for (ResultRow row : rows.subList(first, first + taken)) {
      endCursor = plan.cursors.encode(row.position());
      batch.addEntityResults(ResultEntities.of(plan, row, endCursor));
    }
    return batch
        .setEndCursor(endCursor)
        .setMoreResults(moreResults(plan, window, taken, remaining))
        .build();
  }

  /**
   * Runs {@code query} and answers its single aggregation result.
   *
   * @throws EmulatorException INVALID_ARGUMENT naming the problem for a malformed query
   */
  public AggregationResultBatch aggregate(AggregationQuery query, PartitionSnapshot snapshot) {
    return AggregationResultBatch.newBuilder()
        .addAggregationResults(Aggregator.aggregate(query, snapshot))
        .setMoreResults(MoreResultsType.NO_MORE_RESULTS)
        .build();
  }

  private MoreResultsType moreResults(
      QueryPlan plan, ResultWindow window, int taken, int remaining) {
    if (taken < remaining && taken < plan.limit) {
      return MoreResultsType.NOT_FINISHED;
    }
    if (taken < remaining) {
      return MoreResultsType.MORE_RESULTS_AFTER_LIMIT;
    }
    return window.cutByEndCursor()
        ? MoreResultsType.MORE_RESULTS_AFTER_CURSOR
        : MoreResultsType.NO_MORE_RESULTS;
  }
}
