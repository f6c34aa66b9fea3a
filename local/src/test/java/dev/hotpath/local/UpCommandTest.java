package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code up}: flags, and the stack it starts — emulator plus Write API served by the invoker. */
class UpCommandTest {
  private static final Pattern URL = Pattern.compile("(Datastore emulator|Write API): http://(localhost:\\d+)");

  @Test
  void helpListsEveryFlag() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(new String[] {"up", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
    for (String flag : List.of("--port", "--datastore-port", "--project", "--production-limits", "--data-dir")) {
      assertTrue(out.toString(StandardCharsets.UTF_8).contains(flag), flag);
    }
  }

  @Test
  void badFlagsAreUsageErrors() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, Main.run(new String[] {"up", "--port", "70000"}, System.out, errStream));
    assertEquals(2, Main.run(new String[] {"up", "--faults", "x"}, System.out, errStream));
    assertEquals(2, Main.run(new String[] {"up", "extra"}, System.out, errStream));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("must be a port") && text.contains("unknown flag --faults") && text.contains("unexpected argument"), text);
  }

  @Test
  void theStackServesTheWriteApiOnTheEmulatorWithTheGivenProjectAndStopsCleanly() throws Exception {
    Flags flags =
        Flags.parse(
            new String[] {"--port", "0", "--datastore-port", "0", "--project", "up-test", "--production-limits"},
            Set.of("port", "datastore-port", "project", "data-dir"),
            Set.of("production-limits"));
    String api;
    try (LocalStack stack = LocalStack.start(UpCommand.parts(flags), UpCommand.functionEnv(flags, Map.of()))) {
      String banner = String.join("\n", stack.banner());
      Map<String, String> urls = new HashMap<>();
      Matcher m = URL.matcher(banner);
      while (m.find()) {
        urls.put(m.group(1), m.group(2));
      }
      assertTrue(banner.contains("production limits"), banner);
      assertTrue(banner.contains("curl -X POST"), banner);
      api = "http://" + urls.get("Write API");
      HttpJson http = new HttpJson(api);
      assertEquals(200, http.post("/v1/counters/likes:increment", "{\"delta\": 3}").status());
      assertEquals(3, http.get("/v1/counters/likes").body().get("value").getAsLong());
      assertEquals(201, http.post("/v1/groups/u/entities/Message", "{\"properties\": {}}").status());

      Datastore client =
          DatastoreOptions.newBuilder()
              .setHost(urls.get("Datastore emulator"))
              .setProjectId("up-test")
              .setCredentials(NoCredentials.getInstance())
              .build()
              .getService();
      assertNotNull(client.get(client.newKeyFactory().setKind("HotpathCounter").newKey("likes")), "written in project up-test");
    }
    assertThrows(ConnectException.class, () -> new HttpJson(api).get("/v1/counters/likes"), "stopped");
  }
}
