package dev.hotpath.shared.turn.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SshTargetTest {
  private static final HostKeyFingerprint KEY =
      HostKeyFingerprint.ofBlob("a host key".getBytes(StandardCharsets.UTF_8));

  @Test
  void aCompleteTargetKeepsWhatItWasGiven() {
    SshTarget t = new SshTarget("turn-1.example", 2222, "ops", KEY, "systemctl restart coturn");
    assertEquals("turn-1.example", t.host());
    assertEquals(2222, t.port());
    assertEquals("ops", t.user());
    assertEquals(KEY, t.hostKeyFingerprint());
    assertEquals("systemctl restart coturn", t.restartCommand());
  }

  @Test
  void aTargetThatCouldNeverConnectIsRefused() {
    assertEquals(
        "port must be 1 to 65535, got 0",
        assertThrows(IllegalArgumentException.class, () -> new SshTarget("h", 0, "ops", KEY, "x"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SshTarget("h", 65536, "ops", KEY, "x"));
    assertEquals(
        "user must not be blank",
        assertThrows(IllegalArgumentException.class, () -> new SshTarget("h", 22, " ", KEY, "x"))
            .getMessage());
    assertEquals(
        "host",
        assertThrows(NullPointerException.class, () -> new SshTarget(null, 22, "ops", KEY, "x"))
            .getMessage());
    assertEquals(
        "hostKeyFingerprint",
        assertThrows(NullPointerException.class, () -> new SshTarget("h", 22, "ops", null, "x"))
            .getMessage());
    assertEquals(
        "restartCommand must not be blank",
        assertThrows(IllegalArgumentException.class, () -> new SshTarget("h", 22, "ops", KEY, ""))
            .getMessage());
  }
}
