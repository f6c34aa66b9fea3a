package dev.hotpath.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WriteApiConfigTest {

  @Test
  void defaultsApplyWhenNothingIsSet() {
    WriteApiConfig config = WriteApiConfig.fromEnv(Map.of());
    assertEquals(16, config.sharding().defaultShards());
    assertEquals(1024, config.sharding().maxShards());
    assertEquals(Duration.ofSeconds(1), config.sharding().minWriteInterval());
    assertEquals(Duration.ofMillis(5), config.commit().window());
    assertEquals(500, config.commit().maxBatch());
    assertEquals(Duration.ofSeconds(10), config.commit().retry().budget());
    assertEquals(Set.of(), config.allowedKinds());
    assertEquals("", config.datastore().emulatorHost());
  }

  @Test
  void readsEverySettingFromTheMap() {
    WriteApiConfig config =
        WriteApiConfig.fromEnv(
            Map.of(
                "GOOGLE_CLOUD_PROJECT", "p",
                "HOTPATH_DATASTORE_DATABASE", "db",
                "DATASTORE_EMULATOR_HOST", "localhost:9",
                "HOTPATH_ALLOWED_KINDS", " Message, Friend ,",
                "HOTPATH_DEFAULT_SHARDS", "4",
                "HOTPATH_MAX_SHARDS", "8",
                "HOTPATH_FLUSH_WINDOW_MS", "2",
                "HOTPATH_MAX_BATCH", "7",
                "HOTPATH_RETRY_BUDGET_MS", "300"));
    assertEquals("p", config.datastore().projectId());
    assertEquals("db", config.datastore().databaseId());
    assertEquals("localhost:9", config.datastore().emulatorHost());
    assertEquals(Set.of("Message", "Friend"), config.allowedKinds());
    assertEquals(4, config.sharding().defaultShards());
    assertEquals(8, config.sharding().maxShards());
    assertEquals(Duration.ofMillis(2), config.commit().window());
    assertEquals(7, config.commit().maxBatch());
    assertEquals(Duration.ofMillis(300), config.commit().retry().budget());
  }

  @Test
  void badValuesNameTheVariable() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> WriteApiConfig.fromEnv(Map.of("HOTPATH_MAX_BATCH", "lots")));
    assertTrue(e.getMessage().contains("HOTPATH_MAX_BATCH"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () -> WriteApiConfig.fromEnv(Map.of("HOTPATH_DEFAULT_SHARDS", "0")));
    assertTrue(e.getMessage().contains("HOTPATH_DEFAULT_SHARDS"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () -> WriteApiConfig.fromEnv(Map.of("HOTPATH_ALLOWED_KINDS", "a b")));
    assertTrue(e.getMessage().contains("HOTPATH_ALLOWED_KINDS"), e.getMessage());
  }

  @Test
  void aBackoffCapBelowTheFirstBackoffNamesTheVariable() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                WriteApiConfig.fromEnv(
                    Map.of(
                        "HOTPATH_RETRY_INITIAL_BACKOFF_MS", "50",
                        "HOTPATH_RETRY_MAX_BACKOFF_MS", "10")));
    assertEquals("HOTPATH_RETRY_MAX_BACKOFF_MS must be from 50 to 600000, got 10", e.getMessage());
  }

  @Test
  void everySettingIsDeclaredOnceWithADescription() {
    Set<String> names = new HashSet<>();
    for (Setting s : Settings.ALL) {
      assertTrue(names.add(s.name()), "declared twice: " + s.name());
      assertTrue(!s.description().isBlank(), s.name());
    }
    assertTrue(names.contains("GOOGLE_CLOUD_PROJECT") && names.contains("HOTPATH_ALLOWED_KINDS"));
    assertTrue(
        Settings.deployed().stream().noneMatch(s -> s.name().equals("DATASTORE_EMULATOR_HOST")));
    assertTrue(
        Settings.deployed().stream().noneMatch(s -> s.name().equals("CLOUD_TASKS_EMULATOR_HOST")));
    assertEquals(Settings.ALL.size() - 2, Settings.deployed().size());
  }
}
