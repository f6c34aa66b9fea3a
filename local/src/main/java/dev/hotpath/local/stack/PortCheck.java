package dev.hotpath.local.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, before anything starts, that every port a command will listen on is free, so a port in
 * use is reported with the flag that moves it instead of as a bare {@code BindException} halfway
 * through start-up. (A port taken between the check and the start still fails, only less kindly.)
 */
public final class PortCheck {

  /**
   * A port to listen on.
   *
   * @param port 0: any free port (never checked)
   * @param flag the flag that sets it
   * @param what what listens there, in words
   */
  public record Wanted(InetAddress address, int port, String flag, String what) {}

  /**
   * @throws StartupException naming the first port given twice or in use, and its flag
   */
  public static void requireFree(List<Wanted> ports) throws StartupException {
    Map<Integer, Wanted> seen = new HashMap<>();
    for (Wanted wanted : ports) {
      if (wanted.port() == 0) {
        continue;
      }
      Wanted earlier = seen.putIfAbsent(wanted.port(), wanted);
      if (earlier != null) {
        throw new StartupException(
            "port "
                + wanted.port()
                + " is wanted by both "
                + earlier.what()
                + " ("
                + earlier.flag()
                + ") and "
                + wanted.what()
                + " ("
                + wanted.flag()
                + "); give them different ports");
      }
      if (!free(wanted)) {
        throw new StartupException(
            "port "
                + wanted.port()
                + " ("
                + wanted.what()
                + ") is in use on "
                + wanted.address().getHostAddress()
                + "; stop what holds it, or choose another with "
                + wanted.flag()
                + " N");
      }
    }
  }

  private static boolean free(Wanted wanted) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(
          true); // as Jetty and the emulators bind: a closed socket's TIME_WAIT does not count
      socket.bind(new InetSocketAddress(wanted.address(), wanted.port()));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private PortCheck() {}
}
