package dev.hotpath.shared.metrics;

import java.time.Instant;

/**
 * One counter's or group's figures in this instance since it started (or since the name was last
 * dropped for idleness).
 *
 * @param name the counter or group name, or {@link NameTable#OTHER} for names beyond the table's
 *     bound
 * @param acknowledged increments (counters) or appends (groups) whose commit was acknowledged
 * @param commits commits that carried them
 * @param unavailable callers answered 503 because the retry budget ran out
 * @param shards the shard count this instance writes across (0: not known yet)
 * @param lastWrite when the latest commit landed; null if none yet
 */
public record NameFigures(
    String name,
    long acknowledged,
    long commits,
    long unavailable,
    int shards,
    Instant lastWrite) {}
