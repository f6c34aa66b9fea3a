package dev.hotpath.shared.turn.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.datastore.query.CompositeIndexes;
import dev.hotpath.shared.turn.BrowserTests;
import dev.hotpath.shared.turn.SystemTests;
import dev.hotpath.shared.turn.config.TurnConfig;
import dev.hotpath.shared.turn.probe.TurnCredentials;
import dev.hotpath.testsupport.node.NodeProject;
import dev.hotpath.testsupport.turn.LocalCoturn;
import dev.hotpath.testsupport.turn.LocalSshd;
import dev.hotpath.testsupport.turn.LoopbackTarget;
import dev.hotpath.testsupport.turn.SystemBinaries;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog held to a browser's verdict: headless Chromium (Debian's, driven by puppeteer-core)
 * makes a call between two RTCPeerConnections that may use only TURN relays ({@code
 * iceTransportPolicy: "relay"}) and a data channel through a real coturn, and the watchdog's round
 * against the same coturn must agree: HEALTHY when the call connects, not HEALTHY (and no restart
 * of a server that answers) when it cannot. The cases are those loopback can produce.
 */
@ExtendWith(BrowserTests.class)
class BrowserRelayMatrixTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.create(b -> b.indexes(CompositeIndexes.ofProject(Map.of())));

  private static final String SECRET = "browser-matrix-secret";
  private static final String RELAY_IP = "127.0.0.2";

  /** A failing call waits this long for its data channel; a working one opens in about 1 s. */
  private static final int CALL_TIMEOUT_MS = 10_000;

  @TempDir static Path shared;
  static LocalSshd sshd;
  static NodeProject browser;

  @TempDir Path dir;
  LocalCoturn coturn;

  @BeforeAll
  static void start() throws Exception {
    sshd = LocalSshd.start(shared.resolve("sshd"));
    try {
      browser =
          NodeProject.install(
              Path.of("src", "test", "node"),
              Path.of("target", "browser-relay"),
              List.of("puppeteer-core"));
    } catch (NodeProject.Unavailable e) {
      SystemTests.unavailable(e.getMessage());
    }
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
  }

  @AfterEach
  void stopCoturn() throws Exception {
    if (coturn != null) {
      coturn.close();
    }
  }

  @Test
  void aRelayingServerCarriesTheBrowsersCallOverUdpAndTcpAndIsHealthy() throws Exception {
    startCoturn(UnaryOperator.identity());
    for (String transport : List.of("udp", "tcp")) {
      JsonObject call = call(transport);
      assertTrue(
          call.get("ok").getAsBoolean(), "the browser's call over " + transport + ": " + call);
    }
    TargetReport r = round(List.of("stun-udp", "turn-relay", "turn-relay-tcp"));
    assertTrue(r.healthy(), r.probes().toString());
    assertEquals(TargetStatus.HEALTHY, r.state().orElseThrow().status());
  }

  @Test
  void disabledUdpRelayingFailsTheCallAndIsAlertedNotRestarted() throws Exception {
    startCoturn(o -> o.withArgs("--no-udp-relay"));
    JsonObject call = call("udp");
    assertFalse(call.get("ok").getAsBoolean(), "the browser's call: " + call);
    assertTrue(call.toString().contains("442"), "the browser was refused its relay: " + call);
    assertNotHealthyNorRestarted(round(List.of("stun-udp", "turn-relay")));
  }

  @Test
  void refusedRelayToRelayFailsTheCallAndIsNotHealthy() throws Exception {
    // Both browsers' relays are on RELAY_IP, which the peer policy refuses: each gets its relay
    // but may not send to the other's.
    startCoturn(o -> o.withRelayIp(RELAY_IP).withArgs("--denied-peer-ip=" + RELAY_IP));
    JsonObject call = call("udp");
    assertFalse(call.get("ok").getAsBoolean(), "the browser's call: " + call);
    assertFalse(
        call.getAsJsonArray("candidates").isEmpty(), "relays were granted, peers refused: " + call);
    assertNotHealthyNorRestarted(round(List.of("stun-udp", "turn-relay")));
  }

  /** The watchdog's side of a failed call: not HEALTHY but MISBEHAVING, alerted, not restarted. */
  private void assertNotHealthyNorRestarted(TargetReport r) throws Exception {
    assertNotEquals(TargetStatus.HEALTHY, r.state().orElseThrow().status());
    assertEquals(TargetStatus.MISBEHAVING, r.state().orElseThrow().status(), r.probes().toString());
    assertEquals(Action.ALERTED, r.action());
    assertEquals(0, coturn.sshRestarts(), "a server that answers is not restarted");
  }

  private void startCoturn(UnaryOperator<LocalCoturn.Options> setUp) throws Exception {
    coturn =
        LocalCoturn.start(
            dir.resolve("coturn"),
            setUp.apply(LocalCoturn.Options.DEFAULT.withRestSecret(SECRET).withRelayPorts(10)));
  }

  /**
   * The browser's call through the test's coturn, over {@code transport} (udp or tcp) to it, with
   * REST credentials; the relayed side is UDP either way.
   */
  private JsonObject call(String transport) throws Exception {
    TurnCredentials credentials =
        TurnCredentials.rest(SECRET, "browser", Instant.now().plusSeconds(600));
    JsonObject iceServer = new JsonObject();
    iceServer.addProperty("urls", "turn:127.0.0.1:" + coturn.port() + "?transport=" + transport);
    iceServer.addProperty("username", credentials.username());
    iceServer.addProperty("credential", credentials.password());
    JsonObject input = new JsonObject();
    input.addProperty("chromium", SystemBinaries.chromium().orElseThrow().toString());
    input.add("iceServer", iceServer);
    input.addProperty("timeoutMs", CALL_TIMEOUT_MS);
    NodeProject.Result node =
        browser.run(
            List.of("node", "relay-call.mjs", input.toString()),
            Map.of(),
            Duration.ofMillis(CALL_TIMEOUT_MS).plusSeconds(30));
    assertEquals(0, node.exit(), () -> "the browser did not run:\n" + node.output());
    return JsonParser.parseString(node.lastLine()).getAsJsonObject();
  }

  /** One watchdog round over the test's coturn with {@code probes}. */
  private TargetReport round(List<String> probes) throws Exception {
    JsonArray targets = new JsonArray();
    targets.add(LoopbackTarget.json("browser-matrix", coturn, sshd, probes));
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("TURN_TARGETS", targets.toString()),
            Map.entry("TURN_SSH_PRIVATE_KEY", sshd.clientKey().privateKeyText()),
            Map.entry("TURN_REST_SECRET", SECRET),
            Map.entry("TURN_DOWN_THRESHOLD", "1"),
            Map.entry("TURN_PROBE_ATTEMPTS", "2"),
            Map.entry("TURN_PROBE_SPACING_MS", "100"),
            Map.entry("TURN_PROBE_TIMEOUT_MS", "3000"),
            Map.entry("TURN_UDP_RTO_MS", "100"),
            Map.entry("TURN_RECOVERY_TIMEOUT_SECONDS", "5"),
            Map.entry("TURN_RECOVERY_INTERVAL_MS", "200"),
            Map.entry("TURN_TARGET_TIMEOUT_SECONDS", "150"),
            Map.entry("DATASTORE_EMULATOR_HOST", datastore.emulator().host()),
            Map.entry("GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT));
    RoundReport round = WatchdogEngine.create(TurnConfig.fromEnv(env)).runRound();
    assertFalse(round.hasOwnFault(), round.toString());
    return round.targets().get(0);
  }
}
