package dev.hotpath.local.stack;

import com.google.gson.JsonArray;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.testsupport.ScratchDir;
import dev.hotpath.testsupport.turn.LocalCoturn;
import dev.hotpath.testsupport.turn.LocalSshd;
import dev.hotpath.testsupport.turn.LocalTlsCertificate;
import dev.hotpath.testsupport.turn.LoopbackTarget;
import dev.hotpath.testsupport.turn.SystemBinaries;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code up --turn-demo}: a TURN server to watch without having one — a loopback coturn with a TURN
 * REST secret, TLS on a certificate signed by a throwaway CA and a small relay range, and a
 * loopback sshd whose restart command restarts that coturn; the watchdog's settings point at them.
 * Their keys and files live in a {@link ScratchDir}, removed when the demo stops.
 */
public final class TurnDemo implements AutoCloseable {
  static final String TARGET = "demo-coturn";
  private static final List<String> PROBES =
      List.of("stun-udp", "turn-relay", "turn-relay-tcp", "stun-tls");

  private final ScratchDir dir;
  private final LocalCoturn coturn;
  private final LocalSshd sshd;
  private final String secret;

  private TurnDemo(ScratchDir dir, LocalCoturn coturn, LocalSshd sshd, String secret) {
    this.dir = dir;
    this.coturn = coturn;
    this.sshd = sshd;
    this.secret = secret;
  }

  /** What is missing for the demo (install hint included), empty when it can run. */
  public static List<String> missing() {
    return SystemBinaries.missingForTurnTests();
  }

  static TurnDemo start() throws Exception {
    ScratchDir dir = ScratchDir.create("hotpath-turn-demo");
    LocalCoturn coturn = null;
    try {
      String secret = UUID.randomUUID().toString();
      LocalTlsCertificate certificate =
          LocalTlsCertificate.generate(dir.path().resolve("tls"), "turn.hotpath.test", 1, 90);
      coturn =
          LocalCoturn.start(
              dir.path().resolve("coturn"),
              LocalCoturn.Options.DEFAULT
                  .withRestSecret(secret)
                  .withTls(certificate)
                  .withRelayPorts(20));
      return new TurnDemo(dir, coturn, LocalSshd.start(dir.path().resolve("sshd")), secret);
    } catch (Exception | Error e) {
      try {
        if (coturn != null) {
          coturn.close();
        }
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      } finally {
        dir.close();
      }
      throw e;
    }
  }

  /**
   * The watchdog's settings for the demo target: its targets, key and secrets, and quick rounds
   * (threshold 1, short timeouts) unless the environment sets them.
   */
  Map<String, String> env(Map<String, String> base) throws Exception {
    Map<String, String> env = new HashMap<>(base);
    JsonArray targets = new JsonArray();
    targets.add(LoopbackTarget.json(TARGET, coturn, sshd, PROBES));
    env.put(Settings.TURN_TARGETS.name(), targets.toString());
    env.put(Settings.TURN_SSH_PRIVATE_KEY.name(), sshd.clientKey().privateKeyText());
    env.put(Settings.TURN_REST_SECRET.name(), secret);
    env.put(Settings.TURN_TLS_CA_CERTS.name(), coturn.options().tls().caPem());
    env.putIfAbsent(Settings.TURN_DOWN_THRESHOLD.name(), "1");
    env.putIfAbsent(Settings.TURN_COOLDOWN_SECONDS.name(), "10");
    env.putIfAbsent(Settings.TURN_PROBE_ATTEMPTS.name(), "2");
    env.putIfAbsent(Settings.TURN_PROBE_SPACING_MS.name(), "200");
    env.putIfAbsent(Settings.TURN_PROBE_TIMEOUT_MS.name(), "1000");
    env.putIfAbsent(Settings.TURN_UDP_RTO_MS.name(), "100");
    env.putIfAbsent(Settings.TURN_RECOVERY_TIMEOUT_SECONDS.name(), "20");
    env.putIfAbsent(Settings.TURN_RECOVERY_INTERVAL_MS.name(), "500");
    env.putIfAbsent(Settings.TURN_TARGET_TIMEOUT_SECONDS.name(), "120");
    return env;
  }

  /** How to break the demo server and watch the watchdog heal it. */
  List<String> banner(String watchdogUrl) {
    String pid = "$(cat " + dir.path().resolve("coturn").resolve("pid") + ")";
    return List.of(
        "  TURN demo: coturn on 127.0.0.1:"
            + coturn.port()
            + " (TLS "
            + coturn.tlsPort()
            + "), sshd on 127.0.0.1:"
            + sshd.port()
            + ", files in "
            + dir.path(),
        "  probes: " + String.join(", ", PROBES),
        "  watch a kill -> restart -> RECOVERED cycle:",
        "    kill -STOP " + pid + "        # freeze coturn (or kill -9 it)",
        "    curl -s -X POST " + watchdogUrl + "/ | jq '.targets[0] | {action, status, incident}'",
        "    curl -s "
            + watchdogUrl
            + "/ | jq '.targets[0].incidents[0]'   # outcome RECOVERED, downtimeMs");
  }

  @Override
  public void close() throws Exception {
    try {
      coturn.close();
    } finally {
      try {
        sshd.close();
      } finally {
        dir.close(); // last: coturn and sshd write into it until they stop
      }
    }
  }
}
