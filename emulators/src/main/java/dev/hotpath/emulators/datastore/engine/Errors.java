package dev.hotpath.emulators.datastore.engine;

import com.google.datastore.v1.Key;
import com.google.datastore.v1.Key.PathElement;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;

/** The engine's typed failures, and keys written the way messages show them. */
final class Errors {
  static final String EXPIRED_TRANSACTION =
      "The referenced transaction has expired or is no longer valid.";

  static EmulatorException invalid(String message) {
    return EmulatorException.invalidArgument(message);
  }

  static EmulatorException aborted(String message) {
    return new EmulatorException(Code.ABORTED, message);
  }

  /** {@code Kind("name")/Child(12)} in namespace and database, for messages. */
  static String describe(Key key) {
    StringBuilder s = new StringBuilder();
    for (PathElement e : key.getPathList()) {
      if (s.length() > 0) {
        s.append('/');
      }
      s.append(e.getKind()).append('(');
      switch (e.getIdTypeCase()) {
        case ID -> s.append(e.getId());
        case NAME -> s.append('"').append(e.getName()).append('"');
        default -> s.append("incomplete");
      }
      s.append(')');
    }
    String ns = key.getPartitionId().getNamespaceId();
    return ns.isEmpty() ? s.toString() : s + " in namespace \"" + ns + "\"";
  }

  private Errors() {}
}
