package dev.hotpath.shared.turn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.config.ConfigException;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.turn.probe.ProbeKind;
import dev.hotpath.shared.turn.ssh.SshTarget;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TurnConfigTest {
  private static final String FP = "SHA256:" + "A".repeat(43);

  private static Map<String, String> env(String targets) {
    Map<String, String> env = new HashMap<>();
    env.put("TURN_TARGETS", targets);
    env.put(
        "TURN_SSH_PRIVATE_KEY",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nsecret-bytes\n-----END OPENSSH PRIVATE KEY-----");
    return env;
  }

  private static String message(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> TurnConfig.fromEnv(env)).getMessage();
  }

  @Test
  void minimalTargetGetsTheDocumentedDefaults() throws Exception {
    TurnConfig config =
        TurnConfig.fromEnv(
            env(
                "[{\"name\":\"turn-1\",\"host\":\"turn1.example.net\",\"ssh\":{\"user\":\"ops\",\"hostKeyFingerprint\":\""
                    + FP
                    + "\"}}]"));
    TurnTarget t = config.targets().get(0);
    assertEquals(3478, t.port());
    assertEquals(List.of(ProbeKind.STUN_UDP, ProbeKind.STUN_TCP), t.probes());
    assertEquals("turn1.example.net", t.ssh().host());
    assertEquals(22, t.ssh().port());
    assertEquals("sudo systemctl restart coturn", t.ssh().restartCommand());
    assertEquals(FP, t.ssh().hostKeyFingerprint().toString());
    assertEquals(WatchdogSettings.DEFAULTS.downThreshold(), config.settings().downThreshold());
    assertFalse(config.toString().contains("secret-bytes"));
  }

  @Test
  void everyFieldCanBeSet() throws Exception {
    Map<String, String> env =
        env(
            "[{\"name\":\"sip\",\"host\":\"10.0.0.5\",\"port\":5060,\"probes\":[\"tcp\",\"http\"],"
                + "\"url\":\"http://10.0.0.5:8080/health\",\"ssh\":{\"host\":\"bastion\",\"port\":2222,\"user\":\"root\","
                + "\"hostKeyFingerprint\":\""
                + FP
                + "\",\"restartCommand\":\"systemctl restart kamailio\"}}]");
    env.put("TURN_DOWN_THRESHOLD", "4");
    env.put("TURN_COOLDOWN_SECONDS", "0");
    env.put("TURN_PROBE_TIMEOUT_MS", "750");
    TurnConfig config = TurnConfig.fromEnv(env);
    TurnTarget t = config.targets().get(0);
    assertEquals(5060, t.port());
    assertEquals(List.of(ProbeKind.TCP, ProbeKind.HTTP), t.probes());
    assertEquals(URI.create("http://10.0.0.5:8080/health"), t.url().orElseThrow());
    SshTarget ssh = t.ssh();
    assertEquals("bastion", ssh.host());
    assertEquals(2222, ssh.port());
    assertEquals("systemctl restart kamailio", ssh.restartCommand());
    assertEquals(4, config.settings().downThreshold());
    assertEquals(Duration.ZERO, config.settings().cooldown());
    assertEquals(Duration.ofMillis(750), config.settings().probeTimeout());
  }

  @Test
  void errorsNameTheField() {
    String ssh = "\"ssh\":{\"user\":\"ops\",\"hostKeyFingerprint\":\"" + FP + "\"}";
    assertEquals(
        "TURN_TARGETS: is required", message(new HashMap<>(Map.of("TURN_SSH_PRIVATE_KEY", "k"))));
    assertEquals("TURN_TARGETS: is not valid JSON", message(env("[{")));
    assertEquals("TURN_TARGETS: must be a non-empty JSON list of targets", message(env("[]")));
    assertEquals(
        "TURN_TARGETS[0].host: is required", message(env("[{\"name\":\"a\"," + ssh + "}]")));
    assertTrue(
        message(env("[{\"name\":\"a b\",\"host\":\"h\"," + ssh + "}]"))
            .startsWith("TURN_TARGETS[0].name: "));
    assertEquals(
        "TURN_TARGETS[0].port: must be a port number from 1 to 65535",
        message(env("[{\"name\":\"a\",\"host\":\"h\",\"port\":70000," + ssh + "}]")));
    assertTrue(
        message(env("[{\"name\":\"a\",\"host\":\"h\",\"probes\":[\"ping\"]," + ssh + "}]"))
            .startsWith("TURN_TARGETS[0].probes: unknown probe 'ping'"));
    assertEquals(
        "TURN_TARGETS[0].url: is required by the http probe",
        message(env("[{\"name\":\"a\",\"host\":\"h\",\"probes\":[\"http\"]," + ssh + "}]")));
    assertEquals(
        "TURN_TARGETS[0].ssh: is required", message(env("[{\"name\":\"a\",\"host\":\"h\"}]")));
    assertTrue(
        message(
                env(
                    "[{\"name\":\"a\",\"host\":\"h\",\"ssh\":{\"user\":\"u\",\"hostKeyFingerprint\":\"MD5:aa\"}}]"))
            .startsWith("TURN_TARGETS[0].ssh.hostKeyFingerprint: must look like SHA256:"));
    assertEquals(
        "TURN_TARGETS[0].ssh.user: is required",
        message(
            env(
                "[{\"name\":\"a\",\"host\":\"h\",\"ssh\":{\"hostKeyFingerprint\":\""
                    + FP
                    + "\"}}]")));
    assertEquals(
        "TURN_TARGETS[0]: unknown field 'sssh'; allowed: [auth, host, name, port, probes,"
            + " restartOnCapacity, ssh, tlsPort, tlsServerName, url]",
        message(env("[{\"name\":\"a\",\"host\":\"h\",\"sssh\":{}}]")));
    assertEquals(
        "TURN_TARGETS[1].name: 'a' is used twice",
        message(
            env(
                "[{\"name\":\"a\",\"host\":\"h\","
                    + ssh
                    + "},{\"name\":\"a\",\"host\":\"h\","
                    + ssh
                    + "}]")));

    Map<String, String> noKey = env("[{\"name\":\"a\",\"host\":\"h\"," + ssh + "}]");
    noKey.remove("TURN_SSH_PRIVATE_KEY");
    assertEquals("TURN_SSH_PRIVATE_KEY: is required", message(noKey));
    Map<String, String> badNumber = env("[{\"name\":\"a\",\"host\":\"h\"," + ssh + "}]");
    badNumber.put("TURN_RESTART_BUDGET_PER_HOUR", "lots");
    assertEquals("TURN_RESTART_BUDGET_PER_HOUR must be an integer, got 'lots'", message(badNumber));
    badNumber.put("TURN_RESTART_BUDGET_PER_HOUR", "0");
    assertEquals("TURN_RESTART_BUDGET_PER_HOUR must be from 1 to 1000, got 0", message(badNumber));
  }

  @Test
  void theTargetTimeoutMustCoverARoundsWorstCase() {
    Map<String, String> env =
        env(
            "[{\"name\":\"a\",\"host\":\"h\",\"ssh\":{\"user\":\"u\",\"hostKeyFingerprint\":\""
                + FP
                + "\"}}]");
    env.put("TURN_TARGET_TIMEOUT_SECONDS", "100");
    // defaults: 2 probes x (3 x 2 s + 2 x 1 s) + 10 s + (60 s + 2 s kill + 5 s answer) + 90 s + 2 x
    // 2 s = 187 s
    assertEquals(
        "TURN_TARGET_TIMEOUT_SECONDS: must be at least 187 for target 'a' (its probes, the SSH connect"
            + " and command timeouts and the recovery timeout add up to that)",
        message(env));
  }

  @Test
  void everyListedSettingIsRead() {
    String ssh = "\"ssh\":{\"user\":\"u\",\"hostKeyFingerprint\":\"" + FP + "\"}";
    // One target per auth, so the secrets each needs are required.
    String targets =
        "[{\"name\":\"a\",\"host\":\"h\","
            + ssh
            + ",\"auth\":\"rest\"},"
            + "{\"name\":\"b\",\"host\":\"h\","
            + ssh
            + ",\"auth\":\"long-term\"}]";
    for (Setting setting :
        TurnConfig.SETTINGS.stream().filter(s -> s.name().startsWith("TURN_")).toList()) {
      Map<String, String> env = env(targets);
      env.put("TURN_REST_SECRET", "s");
      env.put("TURN_USERNAME", "u");
      env.put("TURN_PASSWORD", "p");
      // an unusable value for each: a required one missing, a number that is none, a PEM that is
      // none
      if (setting.name().equals("TURN_TLS_CA_CERTS")) {
        env.put(setting.name(), "not a certificate");
      } else if (setting.defaultValue().isEmpty()) {
        env.remove(setting.name());
      } else {
        env.put(setting.name(), "not-a-number");
      }
      assertTrue(
          message(env).startsWith(setting.name()), setting.name() + " is listed but not read");
    }
  }

  @Test
  void secretsAreRequiredOnlyByTheTargetsThatUseThemAndNeverShown() {
    String ssh = "\"ssh\":{\"user\":\"u\",\"hostKeyFingerprint\":\"" + FP + "\"}";
    Map<String, String> env =
        env("[{\"name\":\"a\",\"host\":\"h\"," + ssh + ",\"probes\":[\"turn-relay\"]}]");
    assertTrue(
        message(env).startsWith("TURN_TARGETS[0].auth: is required by the turn-relay probe"),
        message(env));
    env =
        env(
            "[{\"name\":\"a\",\"host\":\"h\","
                + ssh
                + ",\"probes\":[\"turn-relay\",\"stun-tls\"],"
                + "\"auth\":\"rest\",\"tlsPort\":443,\"tlsServerName\":\"turn.example.com\",\"restartOnCapacity\":true}]");
    assertTrue(message(env).startsWith("TURN_REST_SECRET: is required"), message(env));
    env.put("TURN_REST_SECRET", "very-secret-value");
    TurnConfig config = TurnConfig.fromEnv(env);
    TurnTarget t = config.targets().get(0);
    assertEquals(TurnAuth.REST, t.auth().orElseThrow());
    assertEquals(443, t.tlsPort());
    assertEquals("turn.example.com", t.tlsServerName());
    assertTrue(t.restartOnCapacity());
    assertFalse(config.toString().contains("very-secret-value"));
    assertFalse(config.secrets().toString().contains("very-secret-value"));
  }
}
