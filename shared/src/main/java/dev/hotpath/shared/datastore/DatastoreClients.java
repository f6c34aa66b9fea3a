package dev.hotpath.shared.datastore;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.grpc.GrpcTransportOptions;
import com.google.cloud.http.HttpTransportOptions;
import dev.hotpath.datastoreclient.EmulatorGrpcRpc;
import dev.hotpath.shared.config.DatastoreConfig;

/**
 * Builds the Datastore client the functions use: the configured transport and timeout, and NO
 * client-side retries. The library would otherwise re-send a commit whose response was lost, six
 * times over 10–25 s, behind our back; our own retry logic knows which commits are safe to repeat.
 */
public final class DatastoreClients {

  public static Datastore create(DatastoreConfig config) {
    int timeoutMillis = Math.toIntExact(config.timeout().toMillis());
    // No retries; over gRPC the timeout is each call's deadline (HTTP uses the socket timeouts).
    RetrySettings noRetries =
        ServiceOptions.getNoRetrySettings().toBuilder()
            .setInitialRpcTimeoutDuration(config.timeout())
            .setMaxRpcTimeoutDuration(config.timeout())
            .setTotalTimeoutDuration(config.timeout())
            .build();
    DatastoreOptions.Builder options = DatastoreOptions.newBuilder().setRetrySettings(noRetries);
    boolean emulator = !config.emulatorHost().isEmpty();
    switch (config.transport()) {
      case HTTP -> {
        options.setTransportOptions(
            HttpTransportOptions.newBuilder()
                .setConnectTimeout(timeoutMillis)
                .setReadTimeout(timeoutMillis)
                .build());
        if (emulator) {
          options.setHost("http://" + config.emulatorHost());
        }
      }
      case GRPC -> {
        options.setTransportOptions(GrpcTransportOptions.newBuilder().build());
        if (emulator) {
          // The client's own gRPC layer ignores an emulator host (see EmulatorGrpcRpc).
          options.setHost(config.emulatorHost()).setServiceRpcFactory(EmulatorGrpcRpc::create);
        }
      }
    }
    if (emulator) {
      options.setCredentials(NoCredentials.getInstance());
    }
    if (!config.projectId().isEmpty()) {
      options.setProjectId(config.projectId());
    }
    if (!config.databaseId().isEmpty()) {
      options.setDatabaseId(config.databaseId());
    }
    return options.build().getService();
  }

  private DatastoreClients() {}
}
