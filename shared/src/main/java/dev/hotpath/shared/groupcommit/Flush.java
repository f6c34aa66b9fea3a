package dev.hotpath.shared.groupcommit;

import java.util.List;

/**
 * One attempt to write a batch: the flush id names the batch's write uniquely and stays the same
 * across retries whose predecessor's outcome is unknown, so the writer can recognise a write that
 * already landed and not apply it twice.
 *
 * @param id random, unique per batch (a new one whenever the batch certainly was not applied)
 * @param shard the shard to write
 * @param items the batch, in arrival order
 * @param afterUnknownOutcome true if an earlier attempt with this id may have been applied
 */
public record Flush<T>(String id, int shard, List<T> items, boolean afterUnknownOutcome) {}
