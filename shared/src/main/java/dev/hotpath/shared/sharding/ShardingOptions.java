package dev.hotpath.shared.sharding;

import java.time.Duration;
import java.util.Objects;

/**
 * How counters and groups are sharded: the starting shard count, the cap growth stops at, and the
 * least time between two writes of one shard. The defaults are the settings' ({@code
 * dev.hotpath.shared.config.ShardingConfig}).
 */
public record ShardingOptions(int defaultShards, int maxShards, Duration minWriteInterval) {
  public ShardingOptions {
    Objects.requireNonNull(minWriteInterval);
    if (defaultShards < 1 || maxShards < defaultShards || minWriteInterval.isNegative()) {
      throw new IllegalArgumentException(
          "need 1 <= defaultShards <= maxShards and minWriteInterval >= 0");
    }
  }
}
