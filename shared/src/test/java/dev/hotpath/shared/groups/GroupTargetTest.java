package dev.hotpath.shared.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hotpath.shared.validation.InvalidInputException;
import org.junit.jupiter.api.Test;

class GroupTargetTest {

  @Test
  void keepsValidNames() {
    GroupTarget target = new GroupTarget("user-42", "Message");
    assertEquals("user-42", target.group());
    assertEquals("Message", target.kind());
  }

  @Test
  void refusesBadNamesAndHotpathsOwnKindsNamingWhich() {
    assertEquals("group name must not be empty", message("", "Message"));
    assertEquals("kind '__kind__' is reserved (names of the form __…__)", message("g", "__kind__"));
    assertEquals(
        "kind 'HotpathCounter' is reserved for hotpath's own data", message("g", "HotpathCounter"));
  }

  private static String message(String group, String kind) {
    return assertThrows(InvalidInputException.class, () -> new GroupTarget(group, kind))
        .getMessage();
  }
}
