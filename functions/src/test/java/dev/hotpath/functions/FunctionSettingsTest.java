package dev.hotpath.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hotpath.shared.config.ConfigException;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each entry point's {@code SETTINGS} is exactly what its constructor reads, proven by constructing
 * it from a complete environment that records every variable asked of it. Terraform's test trusts
 * these lists.
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
  void writeApiReadsExactlyItsSettings() {
    ReadRecorder env = new ReadRecorder(env(OPERATIONS));
    new WriteApi(env);
    assertReads(WriteApi.SETTINGS, env);
  }

  @Test
  void workerReadsExactlyItsSettings() {
    ReadRecorder env = new ReadRecorder(env(OPERATIONS));
    new DeferredUpdateWorker(env);
    assertReads(DeferredUpdateWorker.SETTINGS, env);
  }

  @Test
  void watchdogReadsExactlyItsSettings() {
    String targets =
        "[{\"name\":\"t\",\"host\":\"localhost\",\"ssh\":{\"user\":\"u\",\"hostKeyFingerprint\":\"SHA256:"
            + "A".repeat(43)
            + "\"}}]";
    // Not a key: the configuration is read completely before the key is parsed (and refused).
    ReadRecorder env =
        new ReadRecorder(env(Map.of("TURN_TARGETS", targets, "TURN_SSH_PRIVATE_KEY", "not a key")));
    assertThrows(ConfigException.class, () -> new TurnWatchdog(env));
    assertReads(TurnWatchdog.SETTINGS, env);
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

  private static void assertReads(List<Setting> declared, ReadRecorder env) {
    Set<String> names =
        declared.stream().map(Setting::name).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(names, new TreeSet<>(env.asked));
  }

  /**
   * An environment that records every variable asked of it, whether declared or not. Only {@link
   * #get} is answered: a reader that iterated or copied the map would be caught by its failing.
   */
  private static final class ReadRecorder extends AbstractMap<String, String> {
    private final Map<String, String> variables;
    private final Set<String> asked = ConcurrentHashMap.newKeySet();

    ReadRecorder(Map<String, String> variables) {
      this.variables = variables;
    }

    @Override
    public String get(Object name) {
      asked.add((String) name);
      return variables.get(name);
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
      throw new UnsupportedOperationException("read the variables one by one, by name");
    }
  }
}
