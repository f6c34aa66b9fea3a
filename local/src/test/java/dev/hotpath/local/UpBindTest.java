package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.local.bench.HttpJson;
import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.stack.LocalStack;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code up} listens on loopback only unless {@code --bind} opens the Write API. Told apart on any
 * Linux machine without a second interface: all of 127.0.0.0/8 reaches this host, so a server bound
 * to every interface answers on 127.0.0.2 and one bound to 127.0.0.1 refuses there.
 */
class UpBindTest {
  private static final InetAddress OTHER_THAN_127_0_0_1 = address(127, 0, 0, 2);

  @Test
  void byDefaultNothingListensBeyond127001() throws Exception {
    try (LocalStack stack = start()) {
      for (int port : List.of(port(stack, "Write API"), port(stack, "DeferredUpdateWorker"))) {
        assertAccepts(InetAddress.getLoopbackAddress(), port);
        assertThrows(
            ConnectException.class, () -> connect(OTHER_THAN_127_0_0_1, port), "port " + port);
      }
    }
  }

  @Test
  void bindOpensTheWriteApiAndOnlyIt() throws Exception {
    try (LocalStack stack = start("--bind", "0.0.0.0")) {
      assertAccepts(OTHER_THAN_127_0_0_1, port(stack, "Write API"));
      int worker = port(stack, "DeferredUpdateWorker");
      assertThrows(ConnectException.class, () -> connect(OTHER_THAN_127_0_0_1, worker));
      int statusPage = port(stack, "Status page");
      assertThrows(ConnectException.class, () -> connect(OTHER_THAN_127_0_0_1, statusPage));
      HttpJson http = new HttpJson("http://127.0.0.2:" + port(stack, "Write API"));
      assertEquals(200, http.get("/v1/counters/likes").status());
    }
  }

  private static LocalStack start(String... extra) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--port",
                "0",
                "--datastore-port",
                "0",
                "--tasks-port",
                "0",
                "--worker-port",
                "0",
                "--status-port",
                "0"));
    args.addAll(List.of(extra));
    Flags flags = Flags.parse(args.toArray(String[]::new), UpCommand.VALUED, UpCommand.SWITCHES);
    return LocalStack.start(UpCommand.parts(flags), UpCommand.functionEnv(flags, Map.of()));
  }

  private static int port(LocalStack stack, String part) {
    String banner = String.join("\n", stack.banner());
    Matcher m = Pattern.compile(Pattern.quote(part) + ": http://localhost:(\\d+)").matcher(banner);
    assertTrue(m.find(), banner);
    return Integer.parseInt(m.group(1));
  }

  private static void assertAccepts(InetAddress address, int port) throws IOException {
    connect(address, port);
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 5_000);
    }
  }

  private static InetAddress address(int... bytes) {
    try {
      return InetAddress.getByAddress(
          new byte[] {(byte) bytes[0], (byte) bytes[1], (byte) bytes[2], (byte) bytes[3]});
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
