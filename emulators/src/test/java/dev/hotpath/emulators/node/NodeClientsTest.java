package dev.hotpath.emulators.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.tasks.v2.GetTaskRequest;
import com.google.cloud.tasks.v2.Task;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.emulators.tasks.CloudTasksEmulatorExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One port, every client: Google's Node clients (gRPC) reach our emulators with only what their
 * documentation says to set, and read and write the same data as the Java client (HTTP/1.1 for
 * Datastore, gRPC for Cloud Tasks).
 */
class NodeClientsTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  @RegisterExtension
  static final CloudTasksEmulatorExtension tasks = CloudTasksEmulatorExtension.create();

  @BeforeAll
  static void installClients() throws Exception {
    NodeClients.install();
  }

  @Test
  void nodeDatastoreClientWorksWithOnlyDatastoreEmulatorHostSet() throws Exception {
    Datastore java = datastore.client();
    java.put(
        Entity.newBuilder(java.newKeyFactory().setKind("Room").newKey("java-room"))
            .set("name", "from java")
            .set("members", 1)
            .build());
    java.put(
        Entity.newBuilder(java.newKeyFactory().setKind("Room").newKey("doomed"))
            .set("members", 0)
            .build());

    JsonObject read =
        NodeClients.runScript(
            "datastore.mjs",
            Map.of(
                "DATASTORE_EMULATOR_HOST",
                datastore.emulator().host(),
                "PROJECT",
                DatastoreEmulatorExtension.PROJECT));

    assertEquals("from node", read.get("written").getAsString());
    assertEquals("from java", read.get("fromJava").getAsString());
    assertEquals(List.of("java-room", "node-room"), strings(read.getAsJsonArray("queried")));
    Key nodeRoom = java.newKeyFactory().setKind("Room").newKey("node-room");
    assertEquals(
        3, java.get(nodeRoom).getLong("members"), "the Node transaction's write, read by Java");
    assertEquals(null, java.get(java.newKeyFactory().setKind("Room").newKey("doomed")));
  }

  @Test
  void nodeTasksClientWorksOnItsDocumentedEmulatorRoute() throws Exception {
    JsonObject read =
        NodeClients.runScript(
            "tasks.mjs",
            Map.of(
                "CLOUD_TASKS_EMULATOR_HOST", tasks.emulator().host(), "PROJECT", "test-project"));

    String queue = "projects/test-project/locations/us-central1/queues/node-queue";
    assertEquals(queue, read.get("queue").getAsString());
    assertEquals("RUNNING", read.get("state").getAsString());
    assertEquals(List.of(queue + "/tasks/node-task"), strings(read.getAsJsonArray("listed")));
    Task seenByJava =
        tasks
            .client()
            .getTask(
                GetTaskRequest.newBuilder()
                    .setName(queue + "/tasks/node-task")
                    .setResponseView(Task.View.FULL)
                    .build());
    assertEquals("hello", seenByJava.getHttpRequest().getBody().toStringUtf8());
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.getAsString()));
    return out;
  }
}
