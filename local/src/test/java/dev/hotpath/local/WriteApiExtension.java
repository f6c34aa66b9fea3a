package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.stack.FunctionServer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Write API per test class, served by the invoker and pointed at the class's emulator. Register
 * it after the emulator ({@code @Order(2)}), which it reads when the class starts.
 */
public final class WriteApiExtension implements BeforeAllCallback, AfterAllCallback {
  private final DatastoreEmulatorExtension datastore;
  private final Map<String, String> settings;
  private FunctionServer server;
  private HttpJson http;

  private WriteApiExtension(DatastoreEmulatorExtension datastore, Map<String, String> settings) {
    this.datastore = datastore;
    this.settings = settings;
  }

  /**
   * A Write API on {@code datastore}'s emulator with {@code settings} on top of the test defaults.
   */
  static WriteApiExtension on(DatastoreEmulatorExtension datastore, Map<String, String> settings) {
    return new WriteApiExtension(datastore, settings);
  }

  /** The environment: this emulator, the test project, then {@code settings}. */
  public static Map<String, String> env(
      DatastoreEmulatorExtension datastore, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>();
    env.put("DATASTORE_EMULATOR_HOST", datastore.host());
    env.put("GOOGLE_CLOUD_PROJECT", DatastoreEmulatorExtension.PROJECT);
    env.putAll(settings);
    return env;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = FunctionServer.start(WriteApi.class, 0, env(datastore, settings));
    http = new HttpJson(server.url());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null) {
      server.close();
    }
  }

  HttpJson http() {
    return http;
  }

  /**
   * Appends {@code threads * perThread} entities {@code {"t": thread, "i": i}} to {@code group}
   * from {@code threads} threads at once, asserting each answer is 201; returns the new ids.
   */
  Set<String> appendConcurrently(String group, String kind, int threads, int perThread)
      throws Exception {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    Concurrently.run(
        threads,
        thread -> {
          for (int i = 0; i < perThread; i++) {
            HttpJson.Reply reply =
                http.post(
                    "/v1/groups/" + group + "/entities/" + kind,
                    "{\"properties\":{\"t\":" + thread + ",\"i\":" + i + "}}");
            assertEquals(201, reply.status(), reply.body().toString());
            ids.add(reply.body().get("id").getAsString());
          }
        });
    return ids;
  }
}
