package dev.hotpath.emulators.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
  private static final long INSTALL_TIMEOUT_S = 300;
  private static final long SCRIPT_TIMEOUT_S = 60;

  /**
   * Installs the clients unless the same package.json is already installed; skips or fails if it
   * cannot.
   */
  static synchronized void install() throws IOException, InterruptedException {
    byte[] wanted = Files.readAllBytes(SOURCES.resolve("package.json"));
    Path installedJson = INSTALLED.resolve("package.json");
    boolean current =
        Files.exists(INSTALLED.resolve("node_modules/@google-cloud/datastore/package.json"))
            && Files.exists(INSTALLED.resolve("node_modules/@google-cloud/tasks/package.json"))
            && Files.exists(installedJson)
            && java.util.Arrays.equals(wanted, Files.readAllBytes(installedJson));
    Files.createDirectories(INSTALLED);
    for (String script : List.of("datastore.mjs", "tasks.mjs")) {
      Files.copy(
          SOURCES.resolve(script),
          INSTALLED.resolve(script),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    if (current) {
      return;
    }
    Files.write(installedJson, wanted);
    Result npm =
        run(
            List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"),
            Map.of(),
            INSTALL_TIMEOUT_S);
    if (npm.exit != 0) {
      Files.deleteIfExists(installedJson);
      unavailable(
          "npm install of Google's Node clients failed (exit " + npm.exit + "): " + npm.output);
    }
  }

  /**
   * Runs {@code script} with {@code env}; asserts it succeeded and returns the JSON line it printed
   * last.
   */
  static JsonObject runScript(String script, Map<String, String> env)
      throws IOException, InterruptedException {
    Result node = run(List.of("node", script), env, SCRIPT_TIMEOUT_S);
    assertEquals(0, node.exit, () -> script + " failed:\n" + node.output);
    String[] lines = node.output.strip().split("\n");
    return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(command))
            .directory(INSTALLED.toFile())
            .redirectErrorStream(true);
    // Only what the caller names: no emulator variable of this machine leaks into the clients.
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.endsWith("_EMULATOR_HOST") || name.startsWith("GOOGLE_"));
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      unavailable(command.get(0) + " is not installed (" + e.getMessage() + ")");
      throw e;
    }
    process.getOutputStream().close();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
    }
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
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
