package dev.hotpath.shared.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading the operations settings: defaults, a full configuration, and each bad value named. */
class OperationsConfigTest {
  private static final String QUEUE = "projects/p/locations/l/queues/operations";

  @Test
  void withoutAQueueOperationsAreOffAndDefaultsHold() {
    OperationsConfig config = OperationsConfig.fromEnv(Map.of());
    assertFalse(config.enabled());
    assertFalse(config.oidc());
    assertEquals(Set.of(), config.allowedKinds());
    assertEquals("https://www.googleapis.com/oauth2/v3/certs", config.jwksUrl());
    assertEquals(Duration.ofSeconds(5), config.workerRetry().budget());
    assertEquals(Duration.ofMinutes(1), config.reenqueueAfter());
  }

  @Test
  void aFullConfigurationIsRead() {
    OperationsConfig config =
        OperationsConfig.fromEnv(
            Map.of(
                "HOTPATH_OPERATION_KINDS", "User, Friendship",
                "HOTPATH_OPERATIONS_QUEUE", QUEUE,
                "HOTPATH_OPERATIONS_WORKER_URL", "https://worker.example/",
                "HOTPATH_OPERATIONS_SERVICE_ACCOUNT", "tasks@p.iam.gserviceaccount.com",
                "HOTPATH_OPERATION_RETRY_BUDGET_MS", "2500"));
    assertTrue(config.enabled());
    assertTrue(config.oidc());
    assertEquals("operations", config.queueId());
    assertEquals(Set.of("User", "Friendship"), config.allowedKinds());
    assertEquals(Duration.ofMillis(2500), config.workerRetry().budget());
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
  }

  private static void assertNamed(Map<String, String> env, String setting) {
    ConfigException e = assertThrows(ConfigException.class, () -> OperationsConfig.fromEnv(env));
    assertTrue(e.getMessage().contains(setting), e.getMessage());
  }
}
