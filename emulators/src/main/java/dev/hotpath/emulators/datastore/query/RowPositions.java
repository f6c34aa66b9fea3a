package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.Value;
import java.util.List;

/** Compares result positions in a query's order: its sort orders, then projected values. */
final class RowPositions {
  private RowPositions() {}

  /**
   * Compares two positions over the components both have, so a cursor made by the same query with a
   * different projection still finds its place.
   */
  static int compare(List<SortOrder> orders, List<Value> a, List<Value> b) {
    int common = Math.min(a.size(), b.size());
    for (int i = 0; i < common; i++) {
      int ascending = ValueOrder.compare(a.get(i), b.get(i));
      if (ascending != 0) {
        return i < orders.size() ? orders.get(i).directed(ascending) : ascending;
      }
    }
    return 0;
  }

  /** The index of the first row strictly after {@code position}; rows must be sorted. */
  static int firstAfter(List<SortOrder> orders, List<ResultRow> rows, List<Value> position) {
    int low = 0;
    int high = rows.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (compare(orders, rows.get(mid).position(), position) <= 0) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
