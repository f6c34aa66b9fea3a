package dev.hotpath.shared.counters;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.datastore.InternalKinds;
import dev.hotpath.shared.datastore.ShardCountStore;
import dev.hotpath.shared.groupcommit.CommitOptions;
import dev.hotpath.shared.groupcommit.CommitThreads;
import dev.hotpath.shared.groupcommit.Committers;
import dev.hotpath.shared.sharding.ShardingOptions;
import dev.hotpath.shared.validation.InvalidInputException;
import dev.hotpath.shared.validation.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** Sharded counters with group commit: increments are merged per counter, reads sum every shard. */
public final class CounterService {
  /** Largest magnitude of one increment; keeps batch sums far from 64-bit overflow. */
  public static final long MAX_DELTA = 1_000_000_000L;

  /** Datastore looks up at most 1000 keys per request. */
  private static final int MAX_KEYS_PER_LOOKUP = 1000;

  private final Datastore datastore;
  private final KeyFactory shardKeys;
  private final ShardCountStore counts;
  private final Idempotent idempotent;
  private final Committers<Long, Integer> committers;

  public CounterService(
      Datastore datastore, ShardingOptions sharding, CommitOptions options, CommitThreads threads) {
    this.datastore = datastore;
    this.shardKeys = datastore.newKeyFactory().setKind(InternalKinds.COUNTER_SHARD);
    this.idempotent = new Idempotent(options.retry(), Committers.retryAfter(sharding));
    this.counts = new ShardCountStore(datastore, InternalKinds.COUNTER, idempotent);
    this.committers =
        new Committers<>(
            counter -> new CounterShardWriter(datastore, counter), counts, sharding, options, threads);
  }

  /**
   * Adds {@code delta} to counter {@code name}. The future completes when the write holding this
   * increment has committed; it fails with {@link
   * dev.hotpath.shared.validation.UnavailableException} when the retry budget ran out.
   */
  public CompletableFuture<Integer> increment(String name, long delta) {
    Names.check("counter name", name);
    if (delta < -MAX_DELTA || delta > MAX_DELTA) {
      throw new InvalidInputException("delta must be from " + -MAX_DELTA + " to " + MAX_DELTA + ", got " + delta);
    }
    return committers.of(name).submit(delta);
  }

  /** The counter's value: one strongly consistent batch lookup of every shard it ever had. */
  public CounterValue read(String name) {
    Names.check("counter name", name);
    OptionalInt stored = counts.load(name);
    if (stored.isEmpty()) {
      return new CounterValue(name, 0, 0);
    }
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < stored.getAsInt(); i++) {
      keys.add(shardKeys.newKey(CounterShardWriter.shardName(name, i)));
    }
    long value = 0;
    for (int from = 0; from < keys.size(); from += MAX_KEYS_PER_LOOKUP) {
      List<Key> chunk = keys.subList(from, Math.min(keys.size(), from + MAX_KEYS_PER_LOOKUP));
      for (Entity shard : idempotent.run("reading counter '" + name + "'", () -> datastore.fetch(chunk))) {
        if (shard != null) {
          value += shard.getLong(CounterShardWriter.VALUE);
        }
      }
    }
    return new CounterValue(name, value, stored.getAsInt());
  }
}
