package dev.hotpath.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hotpath.shared.config.ConfigException;
import dev.hotpath.shared.config.Env;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each entry point's {@code SETTINGS} is exactly what its constructor reads, proven by constructing
 * it from a complete environment while recording the reads. Terraform's test trusts these lists.
 */
class FunctionSettingsTest {
  /** Nothing listens on these ports: the constructors build clients but connect to nothing. */
  private static final Map<String, String> DATASTORE =
      Map.of("GOOGLE_CLOUD_PROJECT", "p", "DATASTORE_EMULATOR_HOST", "localhost:9");

  private static final Map<String, String> OPERATIONS =
      Map.of(
          "HOTPATH_OPERATIONS_QUEUE", "projects/p/locations/l/queues/q",
          "HOTPATH_OPERATIONS_WORKER_URL", "http://localhost:9/",
          "HOTPATH_OPERATIONS_SERVICE_ACCOUNT", "tasks@p.iam.gserviceaccount.com",
          "CLOUD_TASKS_EMULATOR_HOST", "localhost:9");

  @Test
  void writeApiReadsExactlyItsSettings() throws Exception {
    assertReads(WriteApi.SETTINGS, Env.recordReads(() -> new WriteApi(env(OPERATIONS))));
  }

  @Test
  void workerReadsExactlyItsSettings() throws Exception {
    assertReads(
        DeferredUpdateWorker.SETTINGS,
        Env.recordReads(() -> new DeferredUpdateWorker(env(OPERATIONS))));
  }

  @Test
  void watchdogReadsExactlyItsSettings() throws Exception {
    String targets =
        "[{\"name\":\"t\",\"host\":\"localhost\",\"ssh\":{\"user\":\"u\",\"hostKeyFingerprint\":\"SHA256:"
            + "A".repeat(43)
            + "\"}}]";
    // Not a key: the configuration is read completely before the key is parsed (and refused).
    Map<String, String> env =
        env(Map.of("TURN_TARGETS", targets, "TURN_SSH_PRIVATE_KEY", "not a key"));
    assertReads(
        TurnWatchdog.SETTINGS,
        Env.recordReads(() -> assertThrows(ConfigException.class, () -> new TurnWatchdog(env))));
  }

  @Test
  void everyDeclaredSettingIsReadBySomeFunction() {
    Set<Setting> read = new LinkedHashSet<>();
    Stream.of(WriteApi.SETTINGS, DeferredUpdateWorker.SETTINGS, TurnWatchdog.SETTINGS)
        .forEach(read::addAll);
    assertEquals(Set.copyOf(Settings.ALL), read);
  }

  private static Map<String, String> env(Map<String, String> extra) {
    return Stream.concat(DATASTORE.entrySet().stream(), extra.entrySet().stream())
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static void assertReads(List<Setting> declared, Set<Setting> read) {
    assertEquals(names(declared), names(read));
  }

  private static Set<String> names(java.util.Collection<Setting> settings) {
    return settings.stream()
        .map(Setting::name)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }
}
