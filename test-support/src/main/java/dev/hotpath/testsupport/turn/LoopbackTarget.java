package dev.hotpath.testsupport.turn;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * The {@code TURN_TARGETS} entry for a loopback coturn that is restarted through a loopback sshd;
 * with {@code "auth": "rest"} when coturn runs with a REST secret, and its TLS port and the
 * certificate's name when it runs with TLS.
 */
public final class LoopbackTarget {

  public static JsonObject json(
      String name, LocalCoturn coturn, LocalSshd sshd, List<String> probes) {
    JsonObject ssh = new JsonObject();
    ssh.addProperty("host", "127.0.0.1");
    ssh.addProperty("port", sshd.port());
    ssh.addProperty("user", sshd.user());
    ssh.addProperty("hostKeyFingerprint", sshd.hostKeyFingerprint());
    ssh.addProperty("restartCommand", coturn.restartCommand());
    JsonObject target = new JsonObject();
    target.addProperty("name", name);
    target.addProperty("host", "127.0.0.1");
    target.addProperty("port", coturn.port());
    JsonArray list = new JsonArray();
    probes.forEach(list::add);
    target.add("probes", list);
    target.add("ssh", ssh);
    if (coturn.options().restSecret() != null) {
      target.addProperty("auth", "rest");
    }
    if (coturn.options().tls() != null) {
      target.addProperty("tlsPort", coturn.tlsPort());
      target.addProperty("tlsServerName", coturn.options().tls().serverName());
    }
    return target;
  }

  private LoopbackTarget() {}
}
