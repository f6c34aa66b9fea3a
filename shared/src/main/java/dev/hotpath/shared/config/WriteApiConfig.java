package dev.hotpath.shared.config;

import dev.hotpath.shared.sharding.ShardingOptions;
import dev.hotpath.shared.validation.InternalKinds;
import dev.hotpath.shared.validation.Names;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the Write API is configured with, read once from the environment: Datastore, the kinds
 * of group entities, sharding, group commit (with the retry budget of a write), and its deferred
 * operations — their queue and when a GET of a pending one re-ensures its task.
 */
public record WriteApiConfig(
    DatastoreConfig datastore,
    Set<String> allowedKinds,
    ShardingOptions sharding,
    CommitOptions commit,
    OperationsConfig operations,
    Duration reenqueueAfter) {

  /** Every setting {@link #fromEnv} reads. */
  public static final List<Setting> SETTINGS =
      Settings.union(
          DatastoreConfig.SETTINGS,
          ShardingConfig.SETTINGS,
          RetryConfig.SETTINGS,
          OperationsConfig.SETTINGS,
          List.of(
              Settings.ALLOWED_KINDS,
              Settings.FLUSH_INTERVAL_MS,
              Settings.EAGER_BATCH,
              Settings.FLUSH_WINDOW_MS,
              Settings.MAX_BATCH,
              Settings.MAX_IN_FLIGHT,
              Settings.RETRY_BUDGET_MS,
              Settings.OPERATION_REENQUEUE_AFTER_MS));

  public static WriteApiConfig fromEnv(Map<String, String> variables) {
    Env env = new Env(variables);
    Set<String> kinds = kinds(env, Settings.ALLOWED_KINDS);
    ShardingOptions sharding = ShardingConfig.from(env);
    return new WriteApiConfig(
        DatastoreConfig.from(env),
        kinds,
        sharding,
        new CommitOptions(
            env.millis(Settings.FLUSH_WINDOW_MS, 0, 10_000),
            env.integer(Settings.MAX_BATCH, 1, 100_000),
            env.integer(Settings.MAX_IN_FLIGHT, 1, 1024),
            env.integer(Settings.EAGER_BATCH, 1, 100_000),
            env.millis(Settings.FLUSH_INTERVAL_MS, 0, 60_000),
            RetryConfig.from(env, Settings.RETRY_BUDGET_MS)),
        OperationsConfig.from(env),
        env.millis(Settings.OPERATION_REENQUEUE_AFTER_MS, 0, 86_400_000));
  }

  /** The comma-separated kind names of {@code setting}, each checked like a URL name. */
  static Set<String> kinds(Env env, Setting setting) {
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
