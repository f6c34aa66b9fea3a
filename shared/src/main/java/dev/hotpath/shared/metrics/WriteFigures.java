package dev.hotpath.shared.metrics;

import java.util.Map;

/**
 * The Write API's totals in this instance since it started, over every name.
 *
 * @param datastoreCalls Datastore RPCs its writers made
 * @param contentionAborts writes refused for contention
 * @param shardGrowths times a stored shard count was raised
 * @param unavailableByCause 503 answers by {@link Unavailable#label()}, every cause present
 * @param flushLatency time from a flush's first attempt to its acknowledged commit
 */
public record WriteFigures(
    long datastoreCalls,
    long contentionAborts,
    long shardGrowths,
    Map<String, Long> unavailableByCause,
    Histogram flushLatency) {}
