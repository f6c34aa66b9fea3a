package dev.hotpath.testsupport.turn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A loopback port that is free for both TCP and UDP at the moment of asking. */
public final class FreePort {

  public static int tcpAndUdp() {
    for (int tries = 0; tries < 50; tries++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        if (udpFree(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no port free for both TCP and UDP on loopback");
  }

  private static boolean udpFree(int port) {
    try {
      new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).close();
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private FreePort() {}
}
