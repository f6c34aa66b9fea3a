package dev.hotpath.shared.counters;

/**
 * A counter as read: the sum over all its shards, and how many shards it has (0 if never written).
 */
public record CounterValue(String name, long value, int shards) {}
