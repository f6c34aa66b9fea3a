package dev.hotpath.shared.datastore;

/**
 * Why one attempt to write a batch failed, in the terms the retry logic needs: was the batch
 * certainly not applied (so it may move to another shard), or is its outcome unknown (so only an
 * idempotent retry on the same shard, under the same flush id, is safe)?
 */
public final class WriteFailure extends Exception {

  public enum Kind {
    /**
     * Certainly not applied because another writer was on the entity (ABORTED for contention):
     * retry elsewhere; the only failure that counts as evidence of shared shards.
     */
    CONTENDED,
    /**
     * Certainly not applied, and nothing was sent to write it: a read showed that another instance
     * wrote the entity moments ago, so it holds that shard. Retry elsewhere at once (no one was
     * contended, so there is nothing to back off from); evidence of shared shards like {@link
     * #CONTENDED}.
     */
    HELD_ELSEWHERE,
    /**
     * Certainly not applied for another reason, worth retrying elsewhere: another ABORTED (e.g. a
     * lock timeout), RESOURCE_EXHAUSTED, id collision.
     */
    NOT_APPLIED,
    /** May or may not have been applied: timeouts, UNAVAILABLE, lost responses. */
    OUTCOME_UNKNOWN,
    /** Not applied and retrying cannot help: the request itself is wrong. */
    PERMANENT
  }

  private final Kind kind;

  public WriteFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
