package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way {@code up} cannot start ends it before it serves anything: exit status 1 (a setting,
 * file or port) or 2 (a flag), one message naming the variable, flag, file or port at fault and
 * what would be accepted, no stack trace and no banner.
 */
class UpStartupFailuresTest {
  private static final String[] FREE_PORTS = {
    "--port",
    "0",
    "--datastore-port",
    "0",
    "--tasks-port",
    "0",
    "--worker-port",
    "0",
    "--watchdog-port",
    "0",
    "--status-port",
    "0"
  };

  @TempDir Path dir;

  @Test
  void aBadSettingOfTheFunctionsIsNamedWithWhatIsAccepted() {
    assertRefused(
        1,
        Map.of("HOTPATH_DEFAULT_SHARDS", "abc"),
        List.of(),
        "HOTPATH_DEFAULT_SHARDS must be an integer, got 'abc'");
    assertRefused(
        1,
        Map.of("HOTPATH_MAX_SHARDS", "8"),
        List.of(),
        "HOTPATH_MAX_SHARDS must be from 16 to 100000, got 8");
    assertRefused(
        1,
        Map.of("HOTPATH_DATASTORE_TIMEOUT_MS", "-5"),
        List.of(),
        "HOTPATH_DATASTORE_TIMEOUT_MS must be from 100 to 600000, got -5");
  }

  @Test
  void anInternalKindIsRefusedAtStartNotPerRequest() {
    assertRefused(
        1,
        Map.of("HOTPATH_ALLOWED_KINDS", "Message,HotpathX"),
        List.of(),
        "HOTPATH_ALLOWED_KINDS: kind 'HotpathX' is reserved for hotpath's own data");
  }

  @Test
  void theReadmesTurnExampleWithItsPlaceholdersStopsTheWatchdogBeforeTheBanner() throws Exception {
    Matcher example =
        Pattern.compile("Example:\\n\\n```json\\n(.*?)```", Pattern.DOTALL)
            .matcher(Files.readString(Path.of("../README.md")));
    assertTrue(example.find(), "the README's TURN_TARGETS example");
    Path targets = Files.writeString(dir.resolve("targets.json"), example.group(1));
    Path key =
        Files.writeString(dir.resolve("key"), "placeholder: refused only after TURN_TARGETS");
    assertRefused(
        1,
        Map.of(),
        List.of("--turn-targets", targets.toString(), "--turn-ssh-key", key.toString()),
        "TurnWatchdog refuses to start: TURN_TARGETS[1].ssh.hostKeyFingerprint: must look like SHA256:");
  }

  @Test
  void turnTargetsWithoutAnSshKeyNameTheMissingFlag() throws Exception {
    Path targets = Files.writeString(dir.resolve("targets.json"), "[]");
    assertRefused(
        2,
        Map.of(),
        List.of("--turn-targets", targets.toString()),
        "--turn-targets needs the watchdog's SSH key: --turn-ssh-key FILE (or TURN_SSH_PRIVATE_KEY)");
  }

  @Test
  void filesThatCannotBeUsedAreNamedWithWhy() throws Exception {
    Path missing = dir.resolve("nope.json");
    assertRefused(
        2,
        Map.of(),
        List.of("--turn-targets", missing.toString()),
        "--turn-targets: cannot read " + missing + ": no such file");
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertRefused(
        2,
        Map.of(),
        List.of("--data-dir", file.toString()),
        "--data-dir " + file + ": is a file; give a directory (created if missing)");
  }

  @Test
  void aDataDirInUseIsNamedWithWhatToDo() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    // The emulator's own lock file, held here as a running emulator holds it.
    try (FileChannel channel =
            FileChannel.open(
                data.resolve("datastore.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      assertTrue(held.isValid());
      assertRefused(
          1,
          Map.of(),
          List.of("--data-dir", data.toString()),
          "--data-dir " + data + ": another emulator is using it");
    }
  }

  @Test
  void anUnexpectedFailureIsSaidInTheWordsOfItsCauseWithoutClassNames() {
    assertEquals(
        "disk on fire",
        Main.describe(new java.io.UncheckedIOException(new java.io.IOException("disk on fire"))));
    assertEquals("NullPointerException", Main.describe(new NullPointerException()));
  }

  @Test
  void aPortInUseIsNamedWithTheFlagThatMovesIt() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      assertRefused(
          1,
          Map.of(),
          List.of("--datastore-port", Integer.toString(port)),
          "port "
              + port
              + " (the Datastore emulator) is in use on 127.0.0.1; stop what holds it, or choose another with"
              + " --datastore-port N");
      // The Tasks emulator's JWKS listens on the next port: named with the flag that moves both.
      assertRefused(
          1,
          Map.of(),
          List.of("--tasks-port", Integer.toString(port - 1)),
          "port " + port + " (the Cloud Tasks emulator's JWKS, always --tasks-port + 1) is in use");
    }
    assertRefused(
        2,
        Map.of(),
        List.of("--tasks-port", "65535"),
        "--tasks-port must be at most 65534: the Cloud Tasks emulator's JWKS takes the next port");
  }

  @Test
  void onlyAddressesOfThisMachineCanBeBound() {
    // 203.0.113.0/24 is TEST-NET-3: documentation only, never a local interface.
    assertRefused(
        2,
        Map.of(),
        List.of("--bind", "203.0.113.9"),
        "--bind 203.0.113.9: not an address of this machine");
  }

  /**
   * Runs {@code up} with {@code env} and {@code flags} (every port free unless given), expecting it
   * refused.
   */
  private static void assertRefused(
      int status, Map<String, String> env, List<String> flags, String message) {
    List<String> args = new ArrayList<>(List.of("up"));
    args.addAll(List.of(FREE_PORTS));
    args.addAll(flags);
    Map<String, String> processEnv = new HashMap<>(env);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            List.of(new UpCommand(processEnv)),
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(status, exit, said);
    assertTrue(said.startsWith("hotpath-local up: ") && said.contains(message), said);
    assertFalse(
        said.contains("Exception") || said.contains("\tat "),
        "no exception names or stack traces: " + said);
    assertEquals("", out.toString(StandardCharsets.UTF_8), "no banner");
  }
}
