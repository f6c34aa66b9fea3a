package dev.hotpath.testsupport.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * npm packages a test drives from Node: a pinned {@code package.json} and scripts ({@code *.mjs})
 * in the test sources, installed once into a folder under {@code target/} (again only when the
 * package.json changes), the scripts run there with {@code node}. Installs prefer npm's cache, so a
 * machine that has installed them once needs the registry no more. Where node or npm is missing or
 * the install fails, {@link Unavailable} says why; the caller skips or fails on it.
 */
public final class NodeProject {
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

  private final Path installed;

  private NodeProject(Path installed) {
    this.installed = installed;
  }

  /** Node, npm or the packages cannot be had here. */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  /** What a command printed (stdout and stderr together) and its exit status. */
  public record Result(int exit, String output) {
    /** The last line printed: where the scripts put their JSON answer. */
    public String lastLine() {
      String[] lines = output.strip().split("\n");
      return lines[lines.length - 1];
    }
  }

  /**
   * Copies the scripts of {@code sources} into {@code installed} and installs its package.json
   * there unless the same one is installed already with every {@code modules} present.
   */
  public static NodeProject install(Path sources, Path installed, List<String> modules)
      throws IOException, InterruptedException, Unavailable {
    byte[] wanted = Files.readAllBytes(sources.resolve("package.json"));
    Path installedJson = installed.resolve("package.json");
    boolean current =
        Files.exists(installedJson)
            && Arrays.equals(wanted, Files.readAllBytes(installedJson))
            && modules.stream()
                .allMatch(
                    m -> Files.exists(installed.resolve("node_modules/" + m + "/package.json")));
    Files.createDirectories(installed);
    try (DirectoryStream<Path> scripts = Files.newDirectoryStream(sources, "*.mjs")) {
      for (Path script : scripts) {
        Files.copy(
            script, installed.resolve(script.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    NodeProject project = new NodeProject(installed);
    if (current) {
      return project;
    }
    Files.write(installedJson, wanted);
    Result npm =
        project.run(
            List.of(
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefer-offline",
                "--loglevel=error"),
            Map.of(),
            INSTALL_TIMEOUT);
    if (npm.exit() != 0) {
      Files.deleteIfExists(installedJson);
      throw new Unavailable(
          "npm install in " + installed + " failed (exit " + npm.exit() + "): " + npm.output());
    }
    return project;
  }

  /**
   * Runs {@code command} in the installed folder with {@code env} added. Emulator and Google
   * variables of this machine are dropped: a script sees only the endpoints its caller names.
   */
  public Result run(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException, Unavailable {
    // Into a file, not a pipe: a chatty command cannot block on a full pipe nobody reads yet.
    Path output = Files.createTempFile(installed, "run-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(command))
            .directory(installed.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.endsWith("_EMULATOR_HOST") || name.startsWith("GOOGLE_"));
    builder.environment().putAll(env);
    try {
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new Unavailable(command.get(0) + " is not installed (" + e.getMessage() + ")");
      }
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IOException(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + ": "
                + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
