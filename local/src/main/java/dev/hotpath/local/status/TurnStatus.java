package dev.hotpath.local.status;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The TURN targets' status and last incident, from the watchdog function's own {@code GET /} (what
 * an operator would curl), so the page shows exactly what the watchdog answers.
 */
public final class TurnStatus {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final Supplier<Optional<String>> watchdogUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /**
   * @param watchdogUrl the watchdog's base URL, empty while it is off
   */
  public TurnStatus(Supplier<Optional<String>> watchdogUrl) {
    this.watchdogUrl = watchdogUrl;
  }

  /**
   * {@code {"watchdog": "on", "targets": [{"name", "status", "lastCheckedAt", "lastIncident"}]}},
   * {@code {"watchdog": "off", "targets": []}}, or with {@code "error"} when it did not answer.
   */
  JsonObject fetch() {
    JsonObject turn = new JsonObject();
    JsonArray targets = new JsonArray();
    turn.add("targets", targets);
    Optional<String> url = watchdogUrl.get();
    turn.addProperty("watchdog", url.isPresent() ? "on" : "off");
    if (url.isEmpty()) {
      return turn;
    }
    try {
      HttpResponse<String> reply =
          http.send(
              HttpRequest.newBuilder(URI.create(url.get() + "/")).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (reply.statusCode() != 200) {
        turn.addProperty("error", "the watchdog answered HTTP " + reply.statusCode());
        return turn;
      }
      JsonObject status = JsonParser.parseString(reply.body()).getAsJsonObject();
      for (JsonElement element : status.getAsJsonArray("targets")) {
        targets.add(summary(element.getAsJsonObject()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      turn.addProperty("error", "interrupted");
    } catch (Exception e) {
      turn.addProperty("error", "the watchdog did not answer: " + e);
    }
    return turn;
  }

  private static JsonObject summary(JsonObject target) {
    JsonObject j = new JsonObject();
    j.add("name", target.get("name"));
    j.add("status", target.get("status"));
    j.add("lastCheckedAt", target.get("lastCheckedAt"));
    JsonArray incidents = target.getAsJsonArray("incidents");
    // The watchdog lists incidents newest first.
    j.add(
        "lastIncident",
        incidents == null || incidents.isEmpty() ? JsonNull.INSTANCE : incidents.get(0));
    return j;
  }
}
