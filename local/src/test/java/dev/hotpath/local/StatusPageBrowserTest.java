package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.LocalStack;
import dev.hotpath.testsupport.node.NodeProject;
import dev.hotpath.testsupport.turn.SystemBinaries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code up}'s status page in a real headless browser (Debian's Chromium, driven by
 * puppeteer-core): a counter the test increments through the Write API shows up on the page with
 * its increments and shard count, as the JSON endpoint serves them.
 */
@ExtendWith(BrowserTests.class)
class StatusPageBrowserTest {
  private static final String COUNTER = "status-page-likes";
  private static final int INCREMENTS = 3;

  @Test
  @Timeout(180)
  void theStatusPageShowsACounterTheTestIncremented() throws Exception {
    NodeProject browser = null;
    try {
      browser =
          NodeProject.install(
              Path.of("src", "test", "node"),
              Path.of("target", "status-page-browser"),
              List.of("puppeteer-core"));
    } catch (NodeProject.Unavailable e) {
      BrowserTests.unavailable(e.getMessage());
    }
    try (LocalStack stack = UpStack.onFreePorts()) {
      String banner = String.join("\n", stack.banner());
      HttpJson api = new HttpJson(url(banner, "Write API"));
      for (int i = 0; i < INCREMENTS; i++) {
        assertEquals(
            200, api.post("/v1/counters/" + COUNTER + ":increment", "{\"delta\": 1}").status());
      }
      long shards = api.get("/v1/counters/" + COUNTER).body().get("shards").getAsLong();
      String status = url(banner, "Status page");

      JsonObject json = new HttpJson(status).get("/status.json").body();
      JsonObject counter = counterIn(json);
      assertEquals(INCREMENTS, counter.get("acknowledged").getAsLong(), counter.toString());
      assertEquals(shards, counter.get("shards").getAsLong(), counter.toString());
      assertTrue(counter.get("commits").getAsLong() >= 1, counter.toString());
      assertTrue(json.getAsJsonObject("operations").has("byState"), json.toString());
      assertEquals(
          0,
          json.getAsJsonObject("operations").getAsJsonObject("byState").get("FAILED").getAsLong());
      assertEquals("off", json.getAsJsonObject("turn").get("watchdog").getAsString());

      JsonObject input = new JsonObject();
      input.addProperty("chromium", SystemBinaries.chromium().orElseThrow().toString());
      input.addProperty("url", status + "/");
      input.addProperty("counter", COUNTER);
      input.addProperty("timeoutMs", 20_000);
      NodeProject.Result node =
          browser.run(
              List.of("node", "status-page.mjs", input.toString()),
              Map.of(),
              Duration.ofSeconds(90));
      assertEquals(0, node.exit(), () -> "the browser did not run:\n" + node.output());
      JsonObject page = JsonParser.parseString(node.lastLine()).getAsJsonObject();
      assertTrue(page.get("counterRow").isJsonArray(), "the page shows the counter: " + page);
      List<String> row = strings(page.getAsJsonArray("counterRow"));
      List<String> headers = strings(page.getAsJsonArray("headers"));
      assertEquals(COUNTER, row.get(headers.indexOf("name")), page.toString());
      assertEquals(
          Integer.toString(INCREMENTS), row.get(headers.indexOf("increments")), page.toString());
      assertEquals(Long.toString(shards), row.get(headers.indexOf("shards")), page.toString());
      assertEquals("", page.get("problem").getAsString(), page.toString());
    }
  }

  private static JsonObject counterIn(JsonObject status) {
    for (JsonElement c : status.getAsJsonArray("counters")) {
      if (c.getAsJsonObject().get("name").getAsString().equals(COUNTER)) {
        return c.getAsJsonObject();
      }
    }
    throw new AssertionError(COUNTER + " missing from " + status);
  }

  private static List<String> strings(JsonArray array) {
    return array.asList().stream().map(JsonElement::getAsString).toList();
  }

  private static String url(String banner, String part) {
    Matcher m = Pattern.compile(Pattern.quote(part) + ": (http://localhost:\\d+)").matcher(banner);
    assertTrue(m.find(), banner);
    String url = m.group(1);
    assertNotNull(url);
    return url;
  }
}
