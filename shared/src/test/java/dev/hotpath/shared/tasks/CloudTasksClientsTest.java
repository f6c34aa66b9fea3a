package dev.hotpath.shared.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.sun.net.httpserver.HttpServer;
import dev.hotpath.emulators.tasks.CloudTasksEmulatorExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CloudTasksClientsTest {
  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks = CloudTasksEmulatorExtension.create();

  @Test
  void withTheEmulatorVariableTheClientTalksToTheEmulator() throws Exception {
    HttpServer handler =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    CountDownLatch delivered = new CountDownLatch(1);
    handler.createContext(
        "/",
        exchange -> {
          delivered.countDown();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    handler.start();
    Map<String, String> env = Map.of(CloudTasksClients.EMULATOR_HOST, tasks.emulator().host());
    try (CloudTasksClient client = CloudTasksClients.create(env)) {
      String location = "projects/p/locations/l";
      Queue queue =
          client.createQueue(location, Queue.newBuilder().setName(location + "/queues/q").build());
      client.createTask(
          queue.getName(),
          Task.newBuilder()
              .setHttpRequest(
                  HttpRequest.newBuilder()
                      .setUrl("http://127.0.0.1:" + handler.getAddress().getPort() + "/t"))
              .build());
      assertTrue(
          delivered.await(20, TimeUnit.SECONDS),
          "the task reached the handler through the emulator");
    } finally {
      handler.stop(0);
    }
  }

  @Test
  void emulatorSettingsUsePlaintextWithoutCredentials() throws Exception {
    CloudTasksSettings settings =
        CloudTasksClients.settings(Map.of(CloudTasksClients.EMULATOR_HOST, "localhost:8123"));
    assertEquals("localhost:8123", settings.getEndpoint());
    assertTrue(settings.getCredentialsProvider() instanceof NoCredentialsProvider);
  }

  @Test
  void withoutTheVariableTheSettingsPointAtProduction() throws Exception {
    CloudTasksSettings settings = CloudTasksClients.settings(Map.of());
    assertEquals("cloudtasks.googleapis.com:443", settings.getEndpoint());
    assertTrue(
        CloudTasksClients.emulatorHost(Map.of(CloudTasksClients.EMULATOR_HOST, " ")).isEmpty());
  }

  @Test
  void aMalformedHostIsAnErrorNotASilentFallbackToProduction() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CloudTasksClients.settings(Map.of(CloudTasksClients.EMULATOR_HOST, "localhost")));
    assertTrue(e.getMessage().contains(CloudTasksClients.EMULATOR_HOST), e.getMessage());
  }
}
