package dev.hotpath.shared.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.PathElement;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dev.hotpath.shared.validation.InvalidInputException;
import dev.hotpath.shared.validation.Names;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Operation ids, task names, counter names and stored payloads: stable, distinct, valid. */
class OperationNamingTest {

  @Test
  void anIdempotencyKeyAlwaysNamesTheSameOperationAndOnlyIt() {
    String id = OperationIds.fromIdempotencyKey("accept-alice-bob");
    assertEquals(id, OperationIds.fromIdempotencyKey("accept-alice-bob"));
    assertNotEquals(id, OperationIds.fromIdempotencyKey("accept-alice-bob2"));
    assertEquals(id, OperationIds.check(id));
    assertEquals(id, OperationIds.check(OperationIds.fromIdempotencyKey("accept-alice-bob")));
    assertEquals("op-" + id, OperationIds.taskId(id));
    assertNotEquals(OperationIds.random(), OperationIds.random());
    OperationIds.check(OperationIds.random());
  }

  @Test
  void badIdempotencyKeysAndIdsAreRefused() {
    for (String bad : new String[] {"", "has space", "x".repeat(256), "naïve"}) {
      assertThrows(InvalidInputException.class, () -> OperationIds.fromIdempotencyKey(bad), bad);
    }
    for (String bad :
        new String[] {
          "", "ABCDEF0123456789abcdef0123456789", "abc", "0123456789abcdef0123456789abcdef0"
        }) {
      assertThrows(InvalidInputException.class, () -> OperationIds.check(bad), bad);
    }
  }

  @Test
  void counterNamesAreValidAndTellKeysAndPropertiesApart() {
    Key byName = Key.newBuilder("p", "User", "1").build();
    Key byId = Key.newBuilder("p", "User", 1).build();
    Key child = Key.newBuilder("p", "User", "1").addAncestor(PathElement.of("Team", "red")).build();
    Set<String> names =
        Set.of(
            EntityCounters.counterName(byName, "friendCount"),
            EntityCounters.counterName(byId, "friendCount"),
            EntityCounters.counterName(child, "friendCount"),
            EntityCounters.counterName(byName, "likes"));
    assertEquals(4, names.size());
    names.forEach(name -> assertEquals(name, Names.check("counter name", name)));
    assertEquals(
        EntityCounters.counterName(byName, "friendCount"),
        EntityCounters.counterName(byName, "friendCount"));
  }

  @Test
  void aPayloadRoundTripsAndItsHashFollowsTheMutations() {
    JsonArray mutations =
        JsonParser.parseString(
                "[{\"delete\": {\"key\": {\"path\": [{\"kind\": \"User\", \"name\": \"a\"}]}}}]")
            .getAsJsonArray();
    OperationPayload payload = OperationPayload.of(mutations);
    assertEquals(mutations, payload.mutations());
    assertEquals(payload.hash(), OperationPayload.of(mutations.deepCopy()).hash());
    JsonArray other =
        JsonParser.parseString(
                "[{\"delete\": {\"key\": {\"path\": [{\"kind\": \"User\", \"name\": \"b\"}]}}}]")
            .getAsJsonArray();
    assertNotEquals(payload.hash(), OperationPayload.of(other).hash());
  }
}
