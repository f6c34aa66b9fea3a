package dev.hotpath.local;

import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.stack.LocalStack;
import java.util.Map;

/** {@code up}'s stack as the command builds it, every part on a free port. */
final class UpStack {
  private UpStack() {}

  static LocalStack onFreePorts() throws Exception {
    Flags flags =
        Flags.parse(
            new String[] {
              "--port", "0",
              "--datastore-port", "0",
              "--tasks-port", "0",
              "--worker-port", "0",
              "--status-port", "0"
            },
            UpCommand.VALUED,
            UpCommand.SWITCHES);
    return LocalStack.start(UpCommand.parts(flags), UpCommand.functionEnv(flags, Map.of()));
  }
}
