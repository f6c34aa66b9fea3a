package dev.hotpath.shared.metrics;

/**
 * Deferred operations as this instance saw them since it started.
 *
 * @param submitted accepted by POST /v1/operations
 * @param done applied by the worker
 * @param failed marked FAILED by the worker
 * @param reenqueued PENDING operations whose task the sweep enqueued again
 * @param oldestPendingAgeMillis age of the oldest PENDING operation at the latest sweep this
 *     instance ran; -1 if it ran none (or found none pending)
 */
public record OperationFigures(
    long submitted, long done, long failed, long reenqueued, long oldestPendingAgeMillis) {}
