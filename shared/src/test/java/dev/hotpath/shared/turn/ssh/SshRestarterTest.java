package dev.hotpath.shared.turn.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.turn.SystemTests;
import dev.hotpath.testsupport.Poll;
import dev.hotpath.testsupport.turn.FreePort;
import dev.hotpath.testsupport.turn.LocalSshd;
import dev.hotpath.testsupport.turn.SshKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The restarter against a real OpenSSH sshd on loopback. */
@ExtendWith(SystemTests.class)
class SshRestarterTest {
  @TempDir static Path dir;
  static LocalSshd sshd;

  @BeforeAll
  static void startSshd() throws Exception {
    sshd = LocalSshd.start(dir.resolve("sshd"));
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  /** The test's sshd, as its user, with its host key pinned, running {@code restartCommand}. */
  private static SshTarget target(String restartCommand) {
    return new SshTarget("127.0.0.1", sshd.port(), sshd.user(), sshdKey(), restartCommand);
  }

  private static HostKeyFingerprint sshdKey() {
    return HostKeyFingerprint.parse(sshd.hostKeyFingerprint());
  }

  private static SshRestarter restarter() throws Exception {
    return new SshRestarter(
        sshd.clientKey().privateKeyText(), Duration.ofSeconds(10), Duration.ofSeconds(10), 64);
  }

  @Test
  void runsTheCommandAndCapturesExitStatusAndOutput() throws Exception {
    RestartResult ok = restarter().restart(target("echo restarted; echo warn >&2"));
    assertTrue(ok.succeeded(), ok.toString());
    assertEquals("restarted\n\nwarn\n", ok.output());

    RestartResult failed = restarter().restart(target("echo broken; exit 3"));
    assertEquals(RestartResult.Status.EXECUTED, failed.status());
    assertEquals(3, failed.exitStatus().orElseThrow());
    assertFalse(failed.succeeded());
  }

  @Test
  void longOutputIsTruncated() throws Exception {
    RestartResult r = restarter().restart(target("head -c 100000 /dev/zero | tr '\\0' x"));
    assertTrue(r.succeeded(), r.toString());
    assertTrue(r.output().startsWith("x".repeat(64)));
    assertTrue(r.output().length() < 200, r.output());
  }

  @Test
  void aWrongHostKeyIsRefusedAndNothingRuns() throws Exception {
    Path marker = dir.resolve("ran-on-wrong-host");
    SshKeyPair impostor = SshKeyPair.generate(dir.resolve("other"), "other_host");
    RestartResult r =
        restarter()
            .restart(
                new SshTarget(
                    "127.0.0.1",
                    sshd.port(),
                    sshd.user(),
                    HostKeyFingerprint.parse(impostor.fingerprint()),
                    "touch " + marker));
    assertEquals(RestartResult.Status.HOST_KEY_MISMATCH, r.status());
    assertTrue(r.detail().contains(sshd.hostKeyFingerprint()), r.detail());
    // Nothing to wait for but a file that must never appear: watch for it a while.
    assertFalse(
        Poll.within(Duration.ofMillis(300), () -> Files.exists(marker)),
        "the command must not run on an unverified host");
  }

  @Test
  void anUnauthorizedKeyIsRecordedNotThrown() throws Exception {
    Path marker = dir.resolve("ran-with-bad-key");
    SshKeyPair stranger = SshKeyPair.generate(dir.resolve("stranger"), "stranger");
    SshRestarter restarter =
        new SshRestarter(
            stranger.privateKeyText(), Duration.ofSeconds(10), Duration.ofSeconds(10), 64);
    RestartResult r = restarter.restart(target("touch " + marker));
    assertEquals(RestartResult.Status.AUTH_FAILED, r.status());
    assertFalse(Files.exists(marker));

    RestartResult wrongUser =
        restarter()
            .restart(
                new SshTarget(
                    "127.0.0.1",
                    sshd.port(),
                    "nobody-here",
                    sshdKey(),
                    SshTarget.DEFAULT_RESTART_COMMAND));
    assertEquals(RestartResult.Status.AUTH_FAILED, wrongUser.status());
  }

  @Test
  void aCommandThatHangsIsKilledOnTheHostAtTheCommandTimeout() throws Exception {
    SshRestarter quick =
        new SshRestarter(
            sshd.clientKey().privateKeyText(), Duration.ofSeconds(10), Duration.ofSeconds(1), 64);
    Path pids = dir.resolve("hanging.pids");
    long start = System.nanoTime();
    // The script and a child of it both hang; both must be gone afterwards, not just disconnected
    // from.
    RestartResult r =
        quick.restart(
            target(
                "echo $$ > " + pids + "; sleep 600 & echo $! >> " + pids + "; echo started; wait"));
    assertEquals(RestartResult.Status.COMMAND_KILLED, r.status(), r.toString());
    assertTrue(r.commandEnded());
    assertTrue(r.output().startsWith("started"), r.output());
    assertTrue(
        System.nanoTime() - start < Duration.ofSeconds(15).toNanos(),
        "must not wait for the command");
    List<Long> started = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
    assertEquals(2, started.size());
    for (long pid : started) {
      // The host's signal is sent before we hear the exit status; the process may take a moment to
      // go.
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isPresent()) {
        process.get().onExit().get(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theCommandIsQuotedIntactForTheHostShell() throws Exception {
    RestartResult r = restarter().restart(target("printf '%s\\n' \"it's\" 'a \"b\"'"));
    assertTrue(r.succeeded(), r.toString());
    assertEquals("it's\na \"b\"\n", r.output());
  }

  @Test
  void nothingListeningIsAConnectFailure() throws Exception {
    RestartResult r =
        restarter()
            .restart(
                new SshTarget(
                    "127.0.0.1",
                    FreePort.tcpAndUdp(),
                    sshd.user(),
                    sshdKey(),
                    SshTarget.DEFAULT_RESTART_COMMAND));
    assertEquals(RestartResult.Status.CONNECT_FAILED, r.status());
  }

  @Test
  void anUnreadableKeyIsRejectedWithoutEchoingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new SshRestarter(
                    "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0\n-----END OPENSSH PRIVATE KEY-----\n",
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    64));
    assertFalse(e.getMessage().contains("c2VjcmV0"));
  }
}
