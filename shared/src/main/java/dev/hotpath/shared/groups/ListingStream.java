package dev.hotpath.shared.groups;

import com.google.cloud.datastore.Cursor;
import com.google.cloud.datastore.DatastoreReader;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.EntityQuery;
import com.google.cloud.datastore.QueryResults;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The entities of one listing query (up to 30 shards) in listing order, fetched lazily in growing
 * batches with query cursors, so a page over many shards reads little more than it returns. Reads
 * through the listing's transaction; a failure fails the listing, retried as a whole.
 */
final class ListingStream {
  private static final int MAX_BATCH = 500;

  private final DatastoreReader reader;
  private final EntityQuery query;
  private final Deque<Entity> buffer = new ArrayDeque<>();
  private Cursor cursor;
  private boolean exhausted;
  private int batch;

  ListingStream(DatastoreReader reader, EntityQuery query, int firstBatch) {
    this.reader = reader;
    this.query = query;
    this.batch = Math.max(1, firstBatch);
  }

  /** The next entity without taking it, or null at the end. */
  Entity peek() {
    if (buffer.isEmpty() && !exhausted) {
      fetch();
    }
    return buffer.peekFirst();
  }

  Entity take() {
    Entity next = peek();
    buffer.pollFirst();
    return next;
  }

  private void fetch() {
    EntityQuery.Builder next = query.toBuilder().setLimit(batch);
    if (cursor != null) {
      next.setStartCursor(cursor);
    }
    EntityQuery page = next.build();
    List<Entity> fetched = new ArrayList<>();
    QueryResults<Entity> results = reader.run(page);
    results.forEachRemaining(fetched::add);
    cursor = results.getCursorAfter();
    buffer.addAll(fetched);
    exhausted = fetched.size() < batch;
    batch = Math.min(MAX_BATCH, batch * 2);
  }
}
