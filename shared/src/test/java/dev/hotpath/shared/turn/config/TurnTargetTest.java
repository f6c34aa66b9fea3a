package dev.hotpath.shared.turn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hotpath.shared.turn.probe.ProbeKind;
import dev.hotpath.shared.turn.ssh.HostKeyFingerprint;
import dev.hotpath.shared.turn.ssh.SshTarget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TurnTargetTest {
  private static final SshTarget SSH =
      new SshTarget(
          "turn-1.example",
          22,
          "ops",
          HostKeyFingerprint.ofBlob("a host key".getBytes(StandardCharsets.UTF_8)),
          SshTarget.DEFAULT_RESTART_COMMAND);

  private static TurnTarget target(int port, List<ProbeKind> probes, String tlsServerName) {
    return new TurnTarget(
        "turn-1",
        "turn-1.example",
        port,
        probes,
        Optional.empty(),
        SSH,
        Optional.empty(),
        TurnTarget.DEFAULT_TLS_PORT,
        tlsServerName,
        false);
  }

  @Test
  void theTlsServerNameIsTheHostUnlessGiven() {
    assertEquals("turn-1.example", target(3478, TurnTarget.DEFAULT_PROBES, null).tlsServerName());
    assertEquals(
        "turn.example", target(3478, TurnTarget.DEFAULT_PROBES, "turn.example").tlsServerName());
  }

  @Test
  void theProbesAreACopy() {
    List<ProbeKind> probes = new ArrayList<>(List.of(ProbeKind.STUN_UDP));
    TurnTarget t = target(3478, probes, null);
    probes.add(ProbeKind.STUN_TCP);
    assertEquals(List.of(ProbeKind.STUN_UDP), t.probes());
  }

  @Test
  void aTargetTheProbesCouldNotUseIsRefused() {
    assertEquals(
        "port must be 1 to 65535, got 70000",
        assertThrows(
                IllegalArgumentException.class,
                () -> target(70000, TurnTarget.DEFAULT_PROBES, null))
            .getMessage());
    assertEquals(
        "probes must not be empty",
        assertThrows(IllegalArgumentException.class, () -> target(3478, List.of(), null))
            .getMessage());
    assertEquals(
        "tlsServerName must not be blank",
        assertThrows(
                IllegalArgumentException.class, () -> target(3478, TurnTarget.DEFAULT_PROBES, " "))
            .getMessage());
    assertEquals(
        "ssh",
        assertThrows(
                NullPointerException.class,
                () ->
                    new TurnTarget(
                        "turn-1",
                        "h",
                        3478,
                        TurnTarget.DEFAULT_PROBES,
                        Optional.empty(),
                        null,
                        Optional.empty(),
                        5349,
                        null,
                        false))
            .getMessage());
  }
}
