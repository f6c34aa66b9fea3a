package dev.hotpath.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Proves which Java the suite ran on: {@code .ci/run}'s second pass forks the tests on the newer
 * JDK that stands in for the deployed java21, and names it in {@code hotpath.expected.java.home}.
 * Were the fork to fall back to the build's JDK 17, that pass would check nothing new.
 */
class TestRuntimeTest {
  @Test
  void theTestsRunOnTheJavaThePassAskedFor() throws IOException {
    String expected = System.getProperty("hotpath.expected.java.home");
    assumeTrue(expected != null, "runs only when a pass names its Java");
    assertEquals(
        Path.of(expected).toRealPath(),
        Path.of(System.getProperty("java.home")).toRealPath(),
        "the test JVM's java.home (Runtime.version() " + Runtime.version() + ")");
  }
}
