package dev.hotpath.shared.counters;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyFactory;
import com.google.cloud.datastore.Transaction;
import dev.hotpath.shared.config.CommitOptions;
import dev.hotpath.shared.config.DatastoreConfig;
import dev.hotpath.shared.config.WriteApiConfig;
import dev.hotpath.shared.datastore.BaseVersionSupport;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.datastore.ProtoCalls;
import dev.hotpath.shared.datastore.ShardCountStore;
import dev.hotpath.shared.datastore.Snapshots;
import dev.hotpath.shared.groupcommit.CommitThreads;
import dev.hotpath.shared.groupcommit.Committers;
import dev.hotpath.shared.metrics.Family;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.sharding.ShardingOptions;
import dev.hotpath.shared.validation.Deltas;
import dev.hotpath.shared.validation.InternalKinds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Sharded counters with group commit: increments are merged per counter, reads sum every shard. */
public final class CounterService {
  /** Datastore looks up at most 1000 keys per request. */
  private static final int MAX_KEYS_PER_LOOKUP = 1000;

  private final Datastore datastore;
  private final KeyFactory shardKeys;
  private final ShardCountStore counts;
  private final Idempotent idempotent;
  private final Committers<Long, Integer> committers;
  private final Executor readers;

  /** The Write API's counters as {@code config} configures them. */
  public static CounterService from(
      Datastore datastore, WriteApiConfig config, CommitThreads threads) {
    return new CounterService(
        datastore,
        config.sharding(),
        config.commit(),
        threads,
        config.datastore().versionedWrites());
  }

  /**
   * @param versionedWrites whether flushes may be one versioned commit where the backend honours it
   *     ({@link BaseVersionSupport})
   */
  public CounterService(
      Datastore datastore,
      ShardingOptions sharding,
      CommitOptions options,
      CommitThreads threads,
      DatastoreConfig.VersionedWrites versionedWrites) {
    this.datastore = datastore;
    this.readers = threads.workers();
    this.shardKeys = datastore.newKeyFactory().setKind(InternalKinds.COUNTER_SHARD);
    this.idempotent = new Idempotent(options.retry(), Committers.retryAfter(sharding));
    this.counts = new ShardCountStore(datastore, InternalKinds.COUNTER, idempotent);
    ProtoCalls calls = new ProtoCalls(datastore);
    BaseVersionSupport versions = new BaseVersionSupport(calls, versionedWrites, System::nanoTime);
    ShardHoldings holdings = new ShardHoldings(Clock.systemUTC(), sharding.minWriteInterval());
    this.committers =
        new Committers<>(
            counter -> new CounterShardWriter(calls, counter, versions, holdings),
            counts::raise,
            sharding,
            options,
            threads,
            System::nanoTime,
            Metrics.global(),
            Family.COUNTER);
  }

  /**
   * Adds {@code delta} to counter {@code name}. The future completes when the write holding this
   * increment has committed; it fails with {@link
   * dev.hotpath.shared.validation.UnavailableException} when the retry budget ran out.
   */
  public CompletableFuture<Integer> increment(CounterName name, long delta) {
    Deltas.check("delta", delta);
    return committers.submit(name.value(), delta);
  }

  /**
   * The counter's value: the sum of every shard it ever had, read in one read-only transaction
   * (lookups of at most 1,000 keys each, in parallel, all from one snapshot), so the value is one
   * the counter had.
   */
  public CounterValue read(CounterName name) {
    return Snapshots.read(
        datastore, idempotent, "reading counter '" + name + "'", txn -> read(txn, name.value()));
  }

  private CounterValue read(Transaction txn, String name) {
    OptionalInt stored = counts.load(txn, name);
    if (stored.isEmpty()) {
      return new CounterValue(name, 0, 0);
    }
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < stored.getAsInt(); i++) {
      keys.add(shardKeys.newKey(CounterShardWriter.shardName(name, i)));
    }
    List<Supplier<Long>> lookups = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += MAX_KEYS_PER_LOOKUP) {
      Key[] chunk =
          keys.subList(from, Math.min(keys.size(), from + MAX_KEYS_PER_LOOKUP)).toArray(new Key[0]);
      lookups.add(() -> sum(txn.fetch(chunk)));
    }
    long value = Snapshots.inParallel(lookups, readers).stream().mapToLong(Long::longValue).sum();
    return new CounterValue(name, value, stored.getAsInt());
  }

  private static long sum(List<Entity> shards) {
    long sum = 0;
    for (Entity shard : shards) {
      if (shard != null) {
        sum += shard.getLong(CounterShardWriter.VALUE);
      }
    }
    return sum;
  }
}
