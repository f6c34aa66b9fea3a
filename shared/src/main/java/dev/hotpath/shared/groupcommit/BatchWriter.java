package dev.hotpath.shared.groupcommit;

import dev.hotpath.shared.datastore.WriteFailure;
import java.util.List;

/** Writes one batch on one shard in one commit; the Datastore side of a {@link GroupCommitter}. */
public interface BatchWriter<T, R> {

  /**
   * Writes {@code flush.items()} on {@code flush.shard()}, at most once per flush id: if a write
   * with this id already landed, answers its results without writing again.
   *
   * @return one result per item, in order
   */
  List<R> write(Flush<T> flush) throws WriteFailure;
}
