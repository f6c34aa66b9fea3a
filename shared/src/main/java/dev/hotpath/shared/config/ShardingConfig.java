package dev.hotpath.shared.config;

import dev.hotpath.shared.sharding.ShardingOptions;
import java.util.List;

/** Reads {@link ShardingOptions}, shared by the Write API and the worker that lands increments. */
public final class ShardingConfig {
  /** Every setting {@link #from} reads. */
  public static final List<Setting> SETTINGS =
      List.of(Settings.DEFAULT_SHARDS, Settings.MAX_SHARDS, Settings.SHARD_WRITE_INTERVAL_MS);

  public static ShardingOptions from(Env env) {
    int defaultShards = env.integer(Settings.DEFAULT_SHARDS, 1, 100_000);
    return new ShardingOptions(
        defaultShards,
        env.integer(Settings.MAX_SHARDS, defaultShards, 100_000),
        env.millis(Settings.SHARD_WRITE_INTERVAL_MS, 0, 60_000));
  }

  private ShardingConfig() {}
}
