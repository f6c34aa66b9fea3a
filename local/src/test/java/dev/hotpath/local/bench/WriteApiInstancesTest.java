package dev.hotpath.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.emulators.datastore.DatastoreEmulatorExtension;
import dev.hotpath.functions.ApiException;
import dev.hotpath.functions.WriteApi;
import dev.hotpath.local.WriteApiExtension;
import dev.hotpath.local.stack.FunctionServer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The benchmark's in-process instances: N distinct Write APIs, a request routed by its header. */
class WriteApiInstancesTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();

  private static Map<String, String> env(int instances) {
    Map<String, String> env = new HashMap<>(WriteApiExtension.env(datastore, Map.of()));
    env.put(WriteApiInstances.INSTANCES, Integer.toString(instances));
    return env;
  }

  @Test
  void eachIndexReachesItsOwnInstanceModuloN() {
    WriteApiInstances instances = new WriteApiInstances(env(3));
    assertEquals(3, instances.size());
    Set<WriteApi> distinct = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      distinct.add(instances.instanceFor(Optional.of(Integer.toString(i))));
    }
    assertEquals(3, distinct.size(), "three indexes, three instances");
    assertSame(instances.instanceFor(Optional.of("0")), instances.instanceFor(Optional.of("3")));
    assertSame(instances.instanceFor(Optional.of("2")), instances.instanceFor(Optional.of("101")));
    assertNotSame(instances.instanceFor(Optional.of("0")), instances.instanceFor(Optional.of("1")));
  }

  @Test
  void aRequestWithoutAValidInstanceIsRefused() {
    WriteApiInstances instances = new WriteApiInstances(env(2));
    for (Optional<String> bad :
        java.util.List.of(Optional.<String>empty(), Optional.of("-1"), Optional.of("one"))) {
      ApiException e = assertThrows(ApiException.class, () -> instances.instanceFor(bad));
      assertEquals(400, e.status().code());
      assertTrue(e.getMessage().contains(WriteApiInstances.HEADER), e.getMessage());
    }
  }

  @Test
  void aBadInstanceCountNamesTheVariable() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new WriteApiInstances(env(0)));
    assertTrue(e.getMessage().contains(WriteApiInstances.INSTANCES), e.getMessage());
  }

  @Test
  void servedByTheInvokerEveryInstanceWritesTheSameDatastore() throws Exception {
    try (WriteApiFleet fleet =
        WriteApiFleet.inProcess(3, WriteApiExtension.env(datastore, Map.of()))) {
      assertEquals(3, fleet.size());
      byte[] one = "{\"delta\": 1}".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 6; i++) {
        // The load generator's own client, as the benchmarks send, and the JSON client.
        assertEquals(200, fleet.post(i, "/v1/counters/routed:increment", one));
        assertEquals(
            200,
            fleet.instance(i).post("/v1/counters/routed:increment", "{\"delta\": 1}").status());
      }
      assertEquals(
          12, fleet.instance(1).get("/v1/counters/routed").body().get("value").getAsLong());
      assertEquals(
          400,
          fleet.post(
              0,
              "/v1/counters/routed:increment",
              "{\"delta\": \"x\"}".getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void calledDirectlyEveryInstanceWritesTheSameDatastoreAndAnswersErrorsAsOverHttp()
      throws Exception {
    try (WriteApiFleet fleet =
        WriteApiFleet.direct(3, WriteApiExtension.env(datastore, Map.of()))) {
      byte[] one = "{\"delta\": 1}".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 6; i++) {
        assertEquals(200, fleet.post(i, "/v1/counters/direct:increment", one));
      }
      assertEquals(6, fleet.instance(2).get("/v1/counters/direct").body().get("value").getAsLong());
      assertEquals(
          400,
          fleet.post(
              1,
              "/v1/counters/direct:increment",
              "{\"delta\": \"x\"}".getBytes(StandardCharsets.UTF_8)));
      assertEquals(404, fleet.post(1, "/v1/nothing", one));
    }
  }

  @Test
  void servedByTheInvokerARequestWithoutTheHeaderGetsTheErrorShape() throws Exception {
    try (FunctionServer server = FunctionServer.start(WriteApiInstances.class, 0, env(2))) {
      HttpJson.Reply reply = new HttpJson(server.url()).get("/v1/counters/anything");
      assertEquals(400, reply.status());
      assertEquals(
          "INVALID_ARGUMENT", reply.body().getAsJsonObject("error").get("status").getAsString());
    }
  }
}
