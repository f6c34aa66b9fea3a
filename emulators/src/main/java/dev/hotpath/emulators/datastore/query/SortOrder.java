package dev.hotpath.emulators.datastore.query;

/** One effective sort order of a query: a property (or {@code __key__}) and its direction. */
record SortOrder(String property, boolean descending) {

  /** Applies this order's direction to an ascending comparison result. */
  int directed(int ascending) {
    return descending ? -ascending : ascending;
  }
}
