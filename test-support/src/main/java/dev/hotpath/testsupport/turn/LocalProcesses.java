package dev.hotpath.testsupport.turn;

import dev.hotpath.testsupport.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small process helpers shared by the loopback servers. */
final class LocalProcesses {

  /** Runs a command to completion; fails with its output when it exits non-zero. */
  static String run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException(command.get(0) + " did not finish within " + timeout);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + output);
    }
    return output;
  }

  /** Polls {@code ready} until true or {@code timeout}; fails with {@code what} otherwise. */
  static void await(BooleanSupplier ready, Duration timeout, String what)
      throws IOException, InterruptedException {
    if (!Poll.within(timeout, ready::getAsBoolean)) {
      throw new IOException(what + " not ready within " + timeout);
    }
  }

  static void writeExecutable(Path file, String script) throws IOException {
    Files.writeString(file, script, StandardCharsets.UTF_8);
    if (!file.toFile().setExecutable(true, true)) {
      throw new IOException("cannot make " + file + " executable");
    }
  }

  private LocalProcesses() {}
}
