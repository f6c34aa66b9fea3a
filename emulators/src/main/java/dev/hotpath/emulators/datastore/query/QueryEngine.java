package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.AggregationQuery;
import com.google.datastore.v1.AggregationResultBatch;
import com.google.datastore.v1.Query;
import com.google.datastore.v1.QueryResultBatch;
import com.google.rpc.Code;
import dev.hotpath.emulators.datastore.EmulatorException;

/**
 * Evaluates Datastore queries and aggregations over a {@link PartitionSnapshot}. The store
 * resolves the partition and the transaction; this class owns filters, orders, cursors,
 * projections and aggregation. The caller sets {@code snapshot_version} and {@code read_time}.
 *
 * <p>CONTRACT ONLY: the implementation is being written on branch ds-query and replaces this file.
 */
public final class QueryEngine {

  /**
   * Runs {@code query} and answers one batch: its entity results (with version, create and update
   * time), {@code end_cursor}, {@code skipped_results}/{@code skipped_cursor} and {@code
   * more_results}.
   *
   * @throws EmulatorException INVALID_ARGUMENT naming the problem for a malformed query
   */
  public QueryResultBatch run(Query query, PartitionSnapshot snapshot) {
    throw new EmulatorException(Code.UNIMPLEMENTED, "queries are not implemented yet");
  }

  /**
   * Runs {@code query} and answers its single aggregation result.
   *
   * @throws EmulatorException INVALID_ARGUMENT naming the problem for a malformed query
   */
  public AggregationResultBatch aggregate(AggregationQuery query, PartitionSnapshot snapshot) {
    throw new EmulatorException(Code.UNIMPLEMENTED, "aggregation queries are not implemented yet");
  }
}
