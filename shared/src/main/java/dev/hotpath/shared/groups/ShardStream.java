package dev.hotpath.shared.groups;

import com.google.cloud.datastore.Cursor;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.EntityQuery;
import com.google.cloud.datastore.QueryResults;
import dev.hotpath.shared.datastore.Idempotent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.ArrayList;

/**
 * The entities of one shard in listing order, fetched lazily in growing batches with query
 * cursors, so a page over many shards reads little more than it returns.
 */
final class ShardStream {
  private static final int MAX_BATCH = 500;

  private final Datastore datastore;
  private final Idempotent idempotent;
  private final EntityQuery query;
  private final Deque<Entity> buffer = new ArrayDeque<>();
  private Cursor cursor;
  private boolean exhausted;
  private int batch;

  ShardStream(Datastore datastore, Idempotent idempotent, EntityQuery query, int firstBatch) {
    this.datastore = datastore;
    this.idempotent = idempotent;
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
    cursor =
        idempotent.run(
            "listing a group shard",
            () -> {
              fetched.clear(); // a retried query starts over
              QueryResults<Entity> results = datastore.run(page);
              results.forEachRemaining(fetched::add);
              return results.getCursorAfter();
            });
    buffer.addAll(fetched);
    exhausted = fetched.size() < batch;
    batch = Math.min(MAX_BATCH, batch * 2);
  }
}
