package dev.hotpath.shared.turn.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.hotpath.shared.config.ConfigException;
import dev.hotpath.shared.config.DatastoreConfig;
import dev.hotpath.shared.config.Env;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.json.KnownFields;
import dev.hotpath.shared.turn.probe.ProbeKind;
import dev.hotpath.shared.turn.probe.TlsTrust;
import dev.hotpath.shared.turn.ssh.HostKeyFingerprint;
import dev.hotpath.shared.turn.ssh.SshRestarter;
import dev.hotpath.shared.turn.ssh.SshTarget;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole watchdog configuration, read from an environment map: targets from {@code
 * TURN_TARGETS}, the SSH key from {@code TURN_SSH_PRIVATE_KEY}, tunables from the other {@link
 * Settings}. {@link #toString()} never shows the key.
 */
public record TurnConfig(
    List<TurnTarget> targets,
    String sshPrivateKey,
    WatchdogSettings settings,
    DatastoreConfig datastore,
    TurnSecrets secrets,
    TlsTrust tlsTrust) {
  /** Target names become Datastore key names and log words: keep them plain. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private static final Set<String> TARGET_FIELDS =
      Set.of(
          "name",
          "host",
          "port",
          "probes",
          "url",
          "ssh",
          "auth",
          "tlsPort",
          "tlsServerName",
          "restartOnCapacity");
  private static final Set<String> SSH_FIELDS =
      Set.of("host", "port", "user", "hostKeyFingerprint", "restartCommand");

  /** Every setting {@link #fromEnv} reads. */
  public static final List<Setting> SETTINGS =
      Settings.union(
          DatastoreConfig.SETTINGS,
          List.of(
              Settings.TURN_TARGETS,
              Settings.TURN_SSH_PRIVATE_KEY,
              Settings.TURN_REST_SECRET,
              Settings.TURN_USERNAME,
              Settings.TURN_PASSWORD,
              Settings.TURN_TLS_CA_CERTS),
          WatchdogSettings.SETTINGS);

  public TurnConfig {
    targets = List.copyOf(targets);
    Objects.requireNonNull(sshPrivateKey, "sshPrivateKey");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(datastore, "datastore");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(tlsTrust, "tlsTrust");
  }

  /** Reads everything; a {@link ConfigException} names the variable or JSON field at fault. */
  public static TurnConfig fromEnv(Map<String, String> variables) {
    Env env = new Env(variables);
    List<TurnTarget> targets = parseTargets(required(env, Settings.TURN_TARGETS));
    String key = required(env, Settings.TURN_SSH_PRIVATE_KEY);
    WatchdogSettings settings = WatchdogSettings.fromEnv(variables);
    TurnSecrets secrets =
        new TurnSecrets(
            env.string(Settings.TURN_REST_SECRET),
            env.string(Settings.TURN_USERNAME),
            env.string(Settings.TURN_PASSWORD));
    for (TurnTarget target : targets) {
      checkTargetTimeout(target, settings);
      target.auth().ifPresent(auth -> checkSecrets(auth, secrets));
    }
    return new TurnConfig(
        targets, key, settings, DatastoreConfig.from(env), secrets, tlsTrust(env));
  }

  /**
   * A target's auth needs its secret variables set; the message names the variable, never a value.
   */
  private static void checkSecrets(TurnAuth auth, TurnSecrets secrets) {
    if (auth == TurnAuth.REST && secrets.restSecret().isEmpty()) {
      throw new ConfigException(
          Settings.TURN_REST_SECRET.name() + ": is required by a target with \"auth\": \"rest\"");
    }
    if (auth == TurnAuth.LONG_TERM && secrets.username().isEmpty()) {
      throw new ConfigException(
          Settings.TURN_USERNAME.name() + ": is required by a target with \"auth\": \"long-term\"");
    }
    if (auth == TurnAuth.LONG_TERM && secrets.password().isEmpty()) {
      throw new ConfigException(
          Settings.TURN_PASSWORD.name() + ": is required by a target with \"auth\": \"long-term\"");
    }
  }

  private static TlsTrust tlsTrust(Env env) {
    String pem = env.string(Settings.TURN_TLS_CA_CERTS);
    if (pem.isEmpty()) {
      return TlsTrust.system();
    }
    try {
      return TlsTrust.pem(pem);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Settings.TURN_TLS_CA_CERTS.name() + ": " + e.getMessage());
    }
  }

  /**
   * The per-target timeout is also the restart lease: shorter than a round's worst case (probes,
   * SSH connect and command with the host-side kill, recovery probing) and a second round could
   * restart while the first is still at it.
   */
  private static void checkTargetTimeout(TurnTarget target, WatchdogSettings s) {
    int probes = target.probes().size();
    Duration probing =
        s.probeTimeout()
            .multipliedBy(s.probeAttempts())
            .plus(s.probeSpacing().multipliedBy(s.probeAttempts() - 1L));
    Duration worst =
        probing
            .multipliedBy(probes)
            .plus(s.sshConnectTimeout())
            .plus(SshRestarter.longestCommandWait(s.sshCommandTimeout()))
            .plus(s.recoveryTimeout())
            .plus(s.probeTimeout().multipliedBy(probes));
    if (s.targetTimeout().compareTo(worst) < 0) {
      throw new ConfigException(
          Settings.TURN_TARGET_TIMEOUT_SECONDS.name()
              + ": must be at least "
              + (worst.toMillis() + 999) / 1000
              + " for target '"
              + target.name()
              + "' (its probes, the SSH connect and command timeouts and the recovery timeout add up to that)");
    }
  }

  @Override
  public String toString() {
    return "TurnConfig{targets="
        + targets.stream().map(TurnTarget::name).toList()
        + ", sshPrivateKey=<redacted>, secrets=<redacted>}";
  }

  private static String required(Env env, Setting setting) {
    String value = env.string(setting);
    if (value.isEmpty()) {
      throw new ConfigException(setting.name() + ": is required");
    }
    return value;
  }

  /**
   * Parses the {@code TURN_TARGETS} JSON list; errors name the field, e.g. {@code
   * TURN_TARGETS[0].ssh.user}.
   */
  public static List<TurnTarget> parseTargets(String json) {
    String field = Settings.TURN_TARGETS.name();
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      throw new ConfigException(field + ": is not valid JSON");
    }
    if (!root.isJsonArray() || root.getAsJsonArray().isEmpty()) {
      throw new ConfigException(field + ": must be a non-empty JSON list of targets");
    }
    JsonArray list = root.getAsJsonArray();
    List<TurnTarget> targets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      TurnTarget target = parseTarget(list.get(i), field + "[" + i + "]");
      if (!names.add(target.name())) {
        throw new ConfigException(
            field + "[" + i + "].name: '" + target.name() + "' is used twice");
      }
      targets.add(target);
    }
    return targets;
  }

  private static TurnTarget parseTarget(JsonElement element, String at) {
    JsonObject o = object(element, at, TARGET_FIELDS);
    String name = string(o, "name", at, null);
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(
          at
              + ".name: must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    String host = string(o, "host", at, null);
    int port = port(o, "port", at, TurnTarget.DEFAULT_PORT);
    List<ProbeKind> probes =
        o.has("probes") ? probes(o.get("probes"), at + ".probes") : TurnTarget.DEFAULT_PROBES;
    Optional<URI> url = Optional.empty();
    if (o.has("url")) {
      String text = string(o, "url", at, null);
      try {
        URI uri = URI.create(text);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new ConfigException(at + ".url: must be an http or https URL");
        }
        url = Optional.of(uri);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(at + ".url: is not a URL");
      }
    } else if (probes.contains(ProbeKind.HTTP)) {
      throw new ConfigException(at + ".url: is required by the http probe");
    }
    if (!o.has("ssh")) {
      throw new ConfigException(at + ".ssh: is required");
    }
    SshTarget ssh = parseSsh(o.get("ssh"), at + ".ssh", host);
    Optional<TurnAuth> auth = Optional.empty();
    if (o.has("auth")) {
      String text = string(o, "auth", at, null);
      auth =
          Optional.of(
              TurnAuth.byConfigName(text)
                  .orElseThrow(
                      () -> new ConfigException(at + ".auth: must be \"rest\" or \"long-term\"")));
    } else {
      Optional<ProbeKind> relaying =
          probes.stream()
              .filter(k -> k == ProbeKind.TURN_RELAY || k == ProbeKind.TURN_RELAY_TCP)
              .findFirst();
      if (relaying.isPresent()) {
        throw new ConfigException(
            at
                + ".auth: is required by the "
                + relaying.get().configName()
                + " probe (\"rest\" or \"long-term\")");
      }
    }
    int tlsPort = port(o, "tlsPort", at, TurnTarget.DEFAULT_TLS_PORT);
    String tlsServerName = o.has("tlsServerName") ? string(o, "tlsServerName", at, null) : null;
    boolean restartOnCapacity = false;
    if (o.has("restartOnCapacity")) {
      JsonElement e = o.get("restartOnCapacity");
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
        throw new ConfigException(at + ".restartOnCapacity: must be true or false");
      }
      restartOnCapacity = e.getAsBoolean();
    }
    return new TurnTarget(
        name, host, port, probes, url, ssh, auth, tlsPort, tlsServerName, restartOnCapacity);
  }

  private static SshTarget parseSsh(JsonElement element, String at, String targetHost) {
    JsonObject o = object(element, at, SSH_FIELDS);
    HostKeyFingerprint fingerprint;
    try {
      fingerprint = HostKeyFingerprint.parse(string(o, "hostKeyFingerprint", at, null));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at + ".hostKeyFingerprint: " + e.getMessage());
    }
    return new SshTarget(
        string(o, "host", at, targetHost),
        port(o, "port", at, SshTarget.DEFAULT_PORT),
        string(o, "user", at, null),
        fingerprint,
        string(o, "restartCommand", at, SshTarget.DEFAULT_RESTART_COMMAND));
  }

  private static JsonObject object(JsonElement element, String at, Set<String> known) {
    if (!element.isJsonObject()) {
      throw new ConfigException(at + ": must be a JSON object");
    }
    JsonObject o = element.getAsJsonObject();
    KnownFields.check(o, known, at, ConfigException::new);
    return o;
  }

  /**
   * A non-blank string field, or {@code fallback} when absent (required when the fallback is null).
   */
  private static String string(JsonObject o, String key, String at, String fallback) {
    if (!o.has(key)) {
      if (fallback == null) {
        throw new ConfigException(at + "." + key + ": is required");
      }
      return fallback;
    }
    JsonElement e = o.get(key);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
      throw new ConfigException(at + "." + key + ": must be a non-empty string");
    }
    return e.getAsString().trim();
  }

  private static int port(JsonObject o, String key, String at, int fallback) {
    if (!o.has(key)) {
      return fallback;
    }
    JsonElement e = o.get(key);
    if (e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber()) {
      double value = e.getAsDouble();
      if (value == Math.rint(value) && value >= 1 && value <= 65535) {
        return (int) value;
      }
    }
    throw new ConfigException(at + "." + key + ": must be a port number from 1 to 65535");
  }

  private static List<ProbeKind> probes(JsonElement element, String at) {
    if (!element.isJsonArray() || element.getAsJsonArray().isEmpty()) {
      throw new ConfigException(at + ": must be a non-empty list of probe names");
    }
    List<ProbeKind> kinds = new ArrayList<>();
    for (JsonElement e : element.getAsJsonArray()) {
      String name = e.isJsonPrimitive() ? e.getAsString() : String.valueOf(e);
      ProbeKind kind =
          ProbeKind.byConfigName(name)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          at
                              + ": unknown probe '"
                              + name
                              + "' (known: "
                              + ProbeKind.configNames()
                              + ")"));
      if (!kinds.contains(kind)) {
        kinds.add(kind);
      }
    }
    return kinds;
  }
}
