package dev.hotpath.shared.config;

import dev.hotpath.shared.retry.RetryPolicy;
import dev.hotpath.shared.sharding.ShardingOptions;
import java.util.List;
import java.util.Map;

/**
 * Everything the worker of deferred operations is configured with, read once from the environment:
 * Datastore, the sharding of the counters it lands increments on, its in-process retry (the shared
 * backoff within {@link Settings#OPERATION_RETRY_BUDGET_MS}), the operations' queue, and where the
 * keys its OIDC tokens are signed with are fetched.
 */
public record WorkerConfig(
    DatastoreConfig datastore,
    ShardingOptions sharding,
    RetryPolicy retry,
    OperationsConfig operations,
    String jwksUrl) {

  /** Every setting {@link #fromEnv} reads. */
  public static final List<Setting> SETTINGS =
      Settings.union(
          DatastoreConfig.SETTINGS,
          ShardingConfig.SETTINGS,
          RetryConfig.SETTINGS,
          OperationsConfig.SETTINGS,
          List.of(Settings.OPERATION_RETRY_BUDGET_MS, Settings.OIDC_JWKS_URL));

  public static WorkerConfig fromEnv(Map<String, String> variables) {
    Env env = new Env(variables);
    DatastoreConfig datastore = DatastoreConfig.from(env);
    ShardingOptions sharding = ShardingConfig.from(env);
    RetryPolicy retry = RetryConfig.from(env, Settings.OPERATION_RETRY_BUDGET_MS);
    OperationsConfig operations = OperationsConfig.from(env);
    String jwksUrl = env.string(Settings.OIDC_JWKS_URL);
    OperationsConfig.checkUrl(Settings.OIDC_JWKS_URL, jwksUrl);
    return new WorkerConfig(datastore, sharding, retry, operations, jwksUrl);
  }
}
