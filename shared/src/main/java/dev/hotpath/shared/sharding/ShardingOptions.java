package dev.hotpath.shared.sharding;

import java.time.Duration;
import java.util.Objects;

/**
 * How counters and groups are sharded: the starting shard count, the cap growth stops at, and the
 * least time between two writes of one shard.
 */
public final class ShardingOptions {
  private final int defaultShards;
  private final int maxShards;
  private final Duration minWriteInterval;

  private ShardingOptions(Builder b) {
    if (b.defaultShards < 1 || b.maxShards < b.defaultShards) {
      throw new IllegalArgumentException("need 1 <= defaultShards <= maxShards");
    }
    this.defaultShards = b.defaultShards;
    this.maxShards = b.maxShards;
    this.minWriteInterval = Objects.requireNonNull(b.minWriteInterval);
  }

  public static Builder builder() {
    return new Builder();
  }

  public int defaultShards() {
    return defaultShards;
  }

  public int maxShards() {
    return maxShards;
  }

  public Duration minWriteInterval() {
    return minWriteInterval;
  }

  public Builder toBuilder() {
    return builder()
        .defaultShards(defaultShards)
        .maxShards(maxShards)
        .minWriteInterval(minWriteInterval);
  }

  public static final class Builder {
    private int defaultShards = 16;
    private int maxShards = 1024;
    private Duration minWriteInterval = Duration.ofSeconds(1);

    private Builder() {}

    public Builder defaultShards(int value) {
      this.defaultShards = value;
      return this;
    }

    public Builder maxShards(int value) {
      this.maxShards = value;
      return this;
    }

    public Builder minWriteInterval(Duration value) {
      this.minWriteInterval = value;
      return this;
    }

    public ShardingOptions build() {
      return new ShardingOptions(this);
    }
  }
}
