package dev.hotpath.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Reading the operations settings, as the Write API and the worker each do: defaults, a full
 * configuration, and each bad value named.
 */
class OperationsConfigTest {
  private static final String QUEUE = "projects/p/locations/l/queues/operations";

  @Test
  void withoutAQueueOperationsAreOffAndDefaultsHold() {
    OperationsConfig config = OperationsConfig.from(new Env(Map.of()));
    assertFalse(config.enabled());
    assertFalse(config.oidc());
    assertEquals(Set.of(), config.allowedKinds());
    assertEquals(Duration.ofMinutes(1), WriteApiConfig.fromEnv(Map.of()).reenqueueAfter());
    WorkerConfig worker = WorkerConfig.fromEnv(Map.of());
    assertEquals("https://www.googleapis.com/oauth2/v3/certs", worker.jwksUrl());
    assertEquals(Duration.ofSeconds(5), worker.retry().budget());
  }

  @Test
  void aFullConfigurationIsRead() {
    WorkerConfig worker =
        WorkerConfig.fromEnv(
            Map.of(
                "HOTPATH_OPERATION_KINDS", "User, Friendship",
                "HOTPATH_OPERATIONS_QUEUE", QUEUE,
                "HOTPATH_OPERATIONS_WORKER_URL", "https://worker.example/",
                "HOTPATH_OPERATIONS_SERVICE_ACCOUNT", "tasks@p.iam.gserviceaccount.com",
                "HOTPATH_OPERATION_RETRY_BUDGET_MS", "2500",
                "HOTPATH_RETRY_INITIAL_BACKOFF_MS", "7"));
    OperationsConfig config = worker.operations();
    assertTrue(config.enabled());
    assertTrue(config.oidc());
    assertEquals("operations", config.queueId());
    assertEquals(Set.of("User", "Friendship"), config.allowedKinds());
    assertEquals(Duration.ofMillis(2500), worker.retry().budget());
    assertEquals(Duration.ofMillis(7), worker.retry().initialBackoff());
  }

  @Test
  void eachBadValueIsNamed() {
    assertNamed(Map.of("HOTPATH_OPERATION_KINDS", "User,bad kind"), "HOTPATH_OPERATION_KINDS");
    assertNamed(Map.of("HOTPATH_OPERATIONS_QUEUE", "operations"), "HOTPATH_OPERATIONS_QUEUE");
    assertNamed(Map.of("HOTPATH_OPERATIONS_QUEUE", QUEUE), "HOTPATH_OPERATIONS_WORKER_URL");
    assertNamed(
        Map.of("HOTPATH_OPERATIONS_QUEUE", QUEUE, "HOTPATH_OPERATIONS_WORKER_URL", "ftp://x/"),
        "HOTPATH_OPERATIONS_WORKER_URL");
    assertNamed(Map.of("HOTPATH_OIDC_JWKS_URL", "not a url"), "HOTPATH_OIDC_JWKS_URL");
    assertNamed(
        Map.of("HOTPATH_OPERATION_RETRY_BUDGET_MS", "0"), "HOTPATH_OPERATION_RETRY_BUDGET_MS");
    assertNamed(
        Map.of("HOTPATH_OPERATION_REENQUEUE_AFTER_MS", "-1"),
        "HOTPATH_OPERATION_REENQUEUE_AFTER_MS");
  }

  private static void assertNamed(Map<String, String> env, String setting) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> {
              // Each setting is read by one of the two, the shared ones by both.
              WorkerConfig.fromEnv(env);
              WriteApiConfig.fromEnv(env);
            });
    assertTrue(e.getMessage().contains(setting), e.getMessage());
  }
}
