package dev.hotpath.shared.config;

import dev.hotpath.shared.retry.RetryPolicy;
import dev.hotpath.shared.sharding.ShardingOptions;
import dev.hotpath.shared.validation.InternalKinds;
import dev.hotpath.shared.validation.Names;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything the Write API is configured with, read once from the environment. */
public record WriteApiConfig(
    DatastoreConfig datastore,
    Set<String> allowedKinds,
    ShardingOptions sharding,
    CommitOptions commit) {

  /** Every setting {@link #fromEnv} reads. */
  public static final List<Setting> SETTINGS =
      Settings.union(
          DatastoreConfig.SETTINGS,
          List.of(
              Settings.ALLOWED_KINDS,
              Settings.DEFAULT_SHARDS,
              Settings.MAX_SHARDS,
              Settings.SHARD_WRITE_INTERVAL_MS,
              Settings.FLUSH_INTERVAL_MS,
              Settings.EAGER_BATCH,
              Settings.FLUSH_WINDOW_MS,
              Settings.MAX_BATCH,
              Settings.MAX_IN_FLIGHT,
              Settings.RETRY_BUDGET_MS,
              Settings.RETRY_INITIAL_BACKOFF_MS,
              Settings.RETRY_MAX_BACKOFF_MS));

  public static WriteApiConfig fromEnv(Map<String, String> variables) {
    Env env = new Env(variables);
    Set<String> kinds = kinds(env, Settings.ALLOWED_KINDS);
    int defaultShards = env.integer(Settings.DEFAULT_SHARDS, 1, 100_000);
    ShardingOptions sharding =
        ShardingOptions.builder()
            .defaultShards(defaultShards)
            .maxShards(env.integer(Settings.MAX_SHARDS, defaultShards, 100_000))
            .minWriteInterval(env.millis(Settings.SHARD_WRITE_INTERVAL_MS, 0, 60_000))
            .build();
    RetryPolicy retry =
        RetryPolicy.builder()
            .initialBackoff(env.millis(Settings.RETRY_INITIAL_BACKOFF_MS, 0, 60_000))
            .maxBackoff(env.millis(Settings.RETRY_MAX_BACKOFF_MS, 0, 600_000))
            .budget(env.millis(Settings.RETRY_BUDGET_MS, 1, 600_000))
            .build();
    return new WriteApiConfig(
        DatastoreConfig.from(env),
        Set.copyOf(kinds),
        sharding,
        new CommitOptions(
            env.millis(Settings.FLUSH_WINDOW_MS, 0, 10_000),
            env.integer(Settings.MAX_BATCH, 1, 100_000),
            env.integer(Settings.MAX_IN_FLIGHT, 1, 1024),
            env.integer(Settings.EAGER_BATCH, 1, 100_000),
            env.millis(Settings.FLUSH_INTERVAL_MS, 0, 60_000),
            retry));
  }

  /** The comma-separated kind names of {@code setting}, each checked like a URL name. */
  public static Set<String> kinds(Env env, Setting setting) {
    Set<String> kinds = new LinkedHashSet<>();
    for (String kind : env.list(setting)) {
      try {
        kinds.add(Names.check("kind", kind));
      } catch (RuntimeException e) {
        throw new ConfigException(setting.name() + ": " + e.getMessage());
      }
      if (InternalKinds.isInternal(kind)) {
        // Every request for it would be refused: say so at start, not per request.
        throw new ConfigException(
            setting.name()
                + ": kind '"
                + kind
                + "' is reserved for hotpath's own data (kinds"
                + " starting with "
                + InternalKinds.PREFIX
                + "); list kinds of your own, e.g. Message");
      }
    }
    return Set.copyOf(kinds);
  }
}
