package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Key;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.LocalStack;
import dev.hotpath.shared.operations.EntityCounters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's curl examples of the Write API and the banner's run as written, top to bottom, on a
 * fresh {@code up} (in this JVM, on free ports: {@code localhost:8080} is replaced by the Write
 * API's address), each in bash with curl failing on any 4xx or 5xx: banner, README, banner again —
 * so neither set collides with the other whichever a user runs first.
 */
class ReadmeExamplesTest {
  private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern FIVE_MUTATIONS =
      Pattern.compile("#### `POST /v1/operations`.*?```json\\n(.*?)```", Pattern.DOTALL);
  private static final String README_API = "http://localhost:8080";

  @TempDir Path workDir;

  @Test
  void theReadmeAndBannerExamplesRunInOrderWithoutA4xx() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    List<String> readmeExamples = new ArrayList<>();
    Matcher block = SH_BLOCK.matcher(readme);
    while (block.find()) {
      if (block
          .group(1)
          .contains(README_API)) { // the Write API's; the watchdog and deploy blocks need more
        readmeExamples.add(block.group(1));
      }
    }
    assertTrue(readmeExamples.size() >= 8, "the Write API's examples: " + readmeExamples.size());

    try (LocalStack stack = UpStack.onFreePorts()) {
      List<String> banner = stack.banner();
      Matcher url =
          Pattern.compile("Write API: (http://localhost:\\d+)").matcher(String.join("\n", banner));
      assertTrue(url.find(), String.join("\n", banner));
      String api = url.group(1);
      String bannerExamples =
          banner.stream()
              .map(String::strip)
              .filter(line -> line.startsWith("curl ") && line.contains(api))
              .collect(Collectors.joining("\n"));
      assertTrue(bannerExamples.lines().count() >= 6, bannerExamples);

      String script =
          String.join(
              "\n",
              bannerExamples,
              String.join("\n", readmeExamples).replace(README_API, api),
              bannerExamples);
      String output = runAsWritten(script);
      // The operation example reads DONE as the README shows, though the JVMs are cold.
      assertTrue(output.contains("\"state\":\"DONE\""), output);

      Matcher body = FIVE_MUTATIONS.matcher(readme);
      assertTrue(body.find(), "the five-mutation example");
      HttpJson.Reply accepted = new HttpJson(api).post("/v1/operations", body.group(1));
      assertEquals(202, accepted.status(), "kinds up allows by default: " + accepted.raw().body());
    }
  }

  /**
   * The README's read-back computes the counter's name as {@link EntityCounters#counterName} does.
   */
  @Test
  void theDocumentedCounterNameIsTheOneAnIncrementLandsOn() throws Exception {
    Matcher readBack =
        Pattern.compile(
                "/v1/counters/ec\\.\\$\\((printf \"User\\\\0'alice\\\\0friendCount\" [^)]*)\\)")
            .matcher(Files.readString(Path.of("../README.md")));
    assertTrue(readBack.find(), "the README's read-back of alice's friendCount");
    Key alice = Key.newBuilder("p", "User", "alice").build();
    assertEquals(
        EntityCounters.counterName(alice, "friendCount"),
        "ec." + runAsWritten(readBack.group(1)).strip());
  }

  /** Runs {@code script} in bash with curl failing on an error status; answers its output. */
  private String runAsWritten(String script) throws Exception {
    String strict =
        "set -euo pipefail\ncurl() { command curl --fail-with-body -sS \"$@\"; }\nset -x\n"
            + script
            + "\n";
    Process bash =
        new ProcessBuilder("bash", "-c", strict)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bash.waitFor(60, TimeUnit.SECONDS), output);
    assertEquals(0, bash.exitValue(), output);
    return output.lines().filter(line -> !line.startsWith("+")).collect(Collectors.joining("\n"));
  }
}
