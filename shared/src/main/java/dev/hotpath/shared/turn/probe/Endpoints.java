package dev.hotpath.shared.turn.probe;

import java.net.InetSocketAddress;

/** Resolves a host name per attempt, so a DNS change between rounds is picked up. */
final class Endpoints {

  static InetSocketAddress resolve(String host, int port) throws ProbeFailure {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new ProbeFailure("cannot resolve host " + host);
    }
    return address;
  }

  private Endpoints() {}
}
