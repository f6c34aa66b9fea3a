package dev.hotpath.emulators.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotpath.testsupport.node.NodeProject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Google's Node clients from npm, installed once into {@code target/node-clients} from the pinned
 * {@code src/test/node/package.json}, and the scripts there run against our emulators. Where node,
 * npm or the registry is unavailable the tests are skipped with a message, unless {@code
 * HOTPATH_REQUIRE_SYSTEM_TESTS=true} (CI), where that fails them.
 */
final class NodeClients {
  private static final Path SOURCES = Path.of("src", "test", "node");
  private static final Path INSTALLED = Path.of("target", "node-clients");
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

  private static NodeProject project;

  /**
   * Installs the clients unless the same package.json is already installed; skips or fails if it
   * cannot.
   */
  static synchronized void install() throws IOException, InterruptedException {
    try {
      project =
          NodeProject.install(
              SOURCES, INSTALLED, List.of("@google-cloud/datastore", "@google-cloud/tasks"));
    } catch (NodeProject.Unavailable e) {
      unavailable(e.getMessage());
    }
  }

  /**
   * Runs {@code script} with {@code env}; asserts it succeeded and returns the JSON line it printed
   * last.
   */
  static JsonObject runScript(String script, Map<String, String> env)
      throws IOException, InterruptedException {
    NodeProject.Result node;
    try {
      node = project.run(List.of("node", script), env, SCRIPT_TIMEOUT);
    } catch (NodeProject.Unavailable e) {
      unavailable(e.getMessage());
      throw new AssertionError(e);
    }
    assertEquals(0, node.exit(), () -> script + " failed:\n" + node.output());
    return JsonParser.parseString(node.lastLine()).getAsJsonObject();
  }

  private static void unavailable(String why) {
    if ("true".equals(System.getenv("HOTPATH_REQUIRE_SYSTEM_TESTS"))) {
      fail("HOTPATH_REQUIRE_SYSTEM_TESTS=true but " + why);
    }
    System.out.println("SKIPPED Node client tests: " + why);
    Assumptions.abort(
        why + " (with HOTPATH_REQUIRE_SYSTEM_TESTS=true, as CI sets it, this is a failure)");
  }

  private NodeClients() {}
}
