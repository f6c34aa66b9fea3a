package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /} and {@code POST /reset}, as scripts and health checks use them. */
class AdminEndpointsTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  @Test
  void rootAnswersOk() throws Exception {
    HttpResponse<String> response = Clients.get(datastore, "/");
    assertEquals(200, response.statusCode());
    assertEquals("Ok", response.body());
  }

  @Test
  void resetClearsAllDataAndCounters() throws Exception {
    Datastore ds = datastore.client();
    Key key = ds.newKeyFactory().setKind("Thing").newKey("x");
    ds.put(Entity.newBuilder(key).set("n", 1).build());
    assertEquals(1, datastore.emulator().stats().commits());

    HttpResponse<byte[]> response = Clients.post(datastore, "/reset", null, new byte[0]);
    assertEquals(200, response.statusCode());
    assertEquals(0, datastore.emulator().stats().commits());
    assertNull(ds.get(key));
  }

  @Test
  void adminPathsRefuseTheWrongVerbInJson() throws Exception {
    HttpResponse<String> response = Clients.get(datastore, "/reset");
    assertEquals(501, response.statusCode());
    assertTrue(response.body().contains("\"status\":\"UNIMPLEMENTED\""), response.body());
  }
}
