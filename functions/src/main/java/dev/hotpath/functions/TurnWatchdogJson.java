package dev.hotpath.functions;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.hotpath.shared.turn.probe.ProbeResult;
import dev.hotpath.shared.turn.ssh.RestartResult;
import dev.hotpath.shared.turn.watchdog.Incident;
import dev.hotpath.shared.turn.watchdog.RoundReport;
import dev.hotpath.shared.turn.watchdog.TargetReport;
import dev.hotpath.shared.turn.watchdog.TargetState;
import dev.hotpath.shared.turn.watchdog.TargetView;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The watchdog's answers as JSON: timestamps in RFC 3339, durations in milliseconds. */
final class TurnWatchdogJson {

  /**
   * A tick's rounds: the last one's report (the targets as they are now), plus every round in order
   * under "rounds" when there were several, so one round per tick keeps its plain shape.
   */
  static JsonObject rounds(List<RoundReport> rounds) {
    JsonObject last = round(rounds.get(rounds.size() - 1));
    if (rounds.size() > 1) {
      JsonArray all = new JsonArray();
      rounds.forEach(r -> all.add(round(r)));
      last.add("rounds", all);
    }
    return last;
  }

  private static JsonObject round(RoundReport round) {
    JsonObject o = new JsonObject();
    o.addProperty("round", round.roundId());
    o.addProperty("startedAt", round.startedAt().toString());
    JsonArray targets = new JsonArray();
    for (TargetReport t : round.targets()) {
      JsonObject j = new JsonObject();
      j.addProperty("name", t.target());
      j.addProperty("healthy", t.healthy());
      j.addProperty("action", t.action().name());
      j.add(
          "status",
          t.state()
              .map(s -> (JsonElement) new JsonPrimitive(s.status().name()))
              .orElse(JsonNull.INSTANCE));
      j.add(
          "consecutiveDown",
          t.state()
              .map(s -> (JsonElement) new JsonPrimitive(s.consecutiveDown()))
              .orElse(JsonNull.INSTANCE));
      JsonArray probes = new JsonArray();
      t.probes().forEach(p -> probes.add(probe(p)));
      j.add("probes", probes);
      j.add("incident", t.incident().map(i -> (JsonElement) incident(i)).orElse(JsonNull.INSTANCE));
      j.add("certificateExpiresAt", time(t.state().flatMap(TargetState::certificateExpiresAt)));
      JsonArray warnings = new JsonArray();
      t.warnings().forEach(warnings::add);
      j.add("warnings", warnings);
      targets.add(j);
    }
    o.add("targets", targets);
    return o;
  }

  static JsonObject status(List<TargetView> views) {
    JsonArray targets = new JsonArray();
    for (TargetView v : views) {
      TargetState s = v.state();
      JsonObject j = new JsonObject();
      j.addProperty("name", s.target());
      j.addProperty("status", s.status().name());
      j.addProperty("consecutiveDown", s.consecutiveDown());
      j.add("downSince", time(s.downSince()));
      j.add("lastCheckedAt", time(s.lastCheckedAt()));
      j.add("lastHealthyAt", time(s.lastHealthyAt()));
      j.add("lastRestartAt", time(s.lastRestartAt()));
      JsonArray restarts = new JsonArray();
      s.recentRestarts().forEach(r -> restarts.add(r.toString()));
      j.add("recentRestarts", restarts);
      j.add("restartLeaseUntil", time(s.leaseUntil()));
      j.add("certificateExpiresAt", time(s.certificateExpiresAt()));
      JsonArray warnings = new JsonArray();
      v.warnings().forEach(warnings::add);
      j.add("warnings", warnings);
      JsonArray lastProbes = new JsonArray();
      Arrays.stream(s.lastProbes().split("\n"))
          .filter(line -> !line.isEmpty())
          .forEach(lastProbes::add);
      j.add("lastProbes", lastProbes);
      JsonArray incidents = new JsonArray();
      v.incidents().forEach(i -> incidents.add(incident(i)));
      j.add("incidents", incidents);
      targets.add(j);
    }
    JsonObject o = new JsonObject();
    o.add("targets", targets);
    return o;
  }

  private static JsonObject probe(ProbeResult p) {
    JsonObject j = new JsonObject();
    j.addProperty("probe", p.kind().configName());
    j.addProperty("alive", p.alive());
    j.addProperty("detail", p.detail());
    j.addProperty("elapsedMs", p.elapsed().toMillis());
    j.addProperty("attempts", p.attempts());
    p.facts().stunError().ifPresent(code -> j.addProperty("stunError", code));
    p.facts()
        .relayRoundTrip()
        .ifPresent(rtt -> j.addProperty("relayRoundTripMs", rtt.toNanos() / 1e6));
    p.facts()
        .certificateExpiry()
        .ifPresent(t -> j.addProperty("certificateExpiresAt", t.toString()));
    if (p.facts().relayedDataLost()) {
      j.addProperty("relayedDataLost", true);
    }
    return j;
  }

  private static JsonObject incident(Incident i) {
    JsonObject j = new JsonObject();
    j.addProperty("number", i.number());
    j.addProperty("outcome", i.outcome().name());
    j.addProperty("cause", i.cause().name());
    j.addProperty("detail", i.detail());
    j.addProperty("detectedAt", i.detectedAt().toString());
    j.add("restartedAt", time(i.restartedAt()));
    j.add("recoveredAt", time(i.recoveredAt()));
    j.add(
        "downtimeMs",
        i.downtime()
            .map(d -> (JsonElement) new JsonPrimitive(d.toMillis()))
            .orElse(JsonNull.INSTANCE));
    j.add("restart", i.restart().map(r -> (JsonElement) restart(r)).orElse(JsonNull.INSTANCE));
    return j;
  }

  private static JsonObject restart(RestartResult r) {
    JsonObject j = new JsonObject();
    j.addProperty("status", r.status().name());
    j.add(
        "exitStatus",
        r.exitStatus().map(x -> (JsonElement) new JsonPrimitive(x)).orElse(JsonNull.INSTANCE));
    j.addProperty("detail", r.detail());
    j.addProperty("output", r.output());
    j.addProperty("elapsedMs", r.elapsed().toMillis());
    return j;
  }

  private static JsonElement time(Optional<Instant> t) {
    return t.map(i -> (JsonElement) new JsonPrimitive(i.toString())).orElse(JsonNull.INSTANCE);
  }

  private TurnWatchdogJson() {}
}
