package dev.hotpath.emulators.datastore;

import com.google.cloud.ServiceOptions;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;

/**
 * The two ways the real high-level client reaches the emulator; conformance tests that take one as
 * a parameter run once over each, to the emulator's one port.
 */
enum ClientTransport {
  /** The client's default: protobuf over HTTP/1.1 to the HTTP edge. */
  HTTP,
  /** The client's gRPC stub, HTTP/2 cleartext to the same port. */
  GRPC;

  DatastoreOptions.Builder options(DatastoreEmulatorExtension datastore) {
    return this == HTTP ? datastore.optionsBuilder() : datastore.grpcOptionsBuilder();
  }

  /** A client with the default retry settings. */
  Datastore client(DatastoreEmulatorExtension datastore) {
    return options(datastore).build().getService();
  }

  /** A client that reports the first failure instead of retrying it. */
  Datastore noRetry(DatastoreEmulatorExtension datastore) {
    return options(datastore)
        .setRetrySettings(ServiceOptions.getNoRetrySettings())
        .build()
        .getService();
  }
}
