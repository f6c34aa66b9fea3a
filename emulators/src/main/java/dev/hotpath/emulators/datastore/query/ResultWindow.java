package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.Value;
import java.util.List;

/**
 * The rows between a plan's start and end cursors: {@code start} is the first row after the start
 * cursor (for distinct-on queries also past the rest of the cursor's group, whose first row the
 * previous page returned), {@code end} is one past the last row at or before the end cursor.
 */
final class ResultWindow {
  final List<ResultRow> rows;
  final int start;
  final int end;

  private ResultWindow(List<ResultRow> rows, int start, int end) {
    this.rows = rows;
    this.start = start;
    this.end = end;
  }

  static ResultWindow of(QueryPlan plan, List<ResultRow> rows) {
    int start = 0;
    if (plan.startPosition != null) {
      start = RowPositions.firstAfter(plan.orders, rows, plan.startPosition);
      if (plan.distinctPrefix > 0) {
        List<Value> group = plan.startPosition.subList(0, plan.distinctPrefix);
        while (start < rows.size()
            && RowPositions.compare(
                    plan.orders, rows.get(start).position().subList(0, plan.distinctPrefix), group)
                == 0) {
          start++;
        }
      }
    }
    int end =
        plan.endPosition == null
            ? rows.size()
            : RowPositions.firstAfter(plan.orders, rows, plan.endPosition);
    return new ResultWindow(rows, start, Math.max(start, end));
  }

  int size() {
    return end - start;
  }

  /** The rows left after skipping {@code offset} and keeping at most {@code limit}. */
  List<ResultRow> page(int offset, int limit) {
    int first = start + Math.min(offset, size());
    return rows.subList(first, first + Math.min(limit, end - first));
  }

  /** Whether rows exist beyond the end cursor. */
  boolean cutByEndCursor() {
    return end < rows.size();
  }
}
