package dev.hotpath.shared.datastore;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.http.HttpTransportOptions;
import dev.hotpath.shared.config.DatastoreConfig;

/**
 * Builds the Datastore client the functions use: HTTP transport with the configured timeouts and NO
 * client-side retries. The library would otherwise re-send a commit whose response was lost, six
 * times over 10–25 s, behind our back; our own retry logic knows which commits are safe to repeat.
 */
public final class DatastoreClients {

  public static Datastore create(DatastoreConfig config) {
    int timeoutMillis = Math.toIntExact(config.timeout().toMillis());
    DatastoreOptions.Builder options =
        DatastoreOptions.newBuilder()
            .setRetrySettings(ServiceOptions.getNoRetrySettings())
            .setTransportOptions(
                HttpTransportOptions.newBuilder()
                    .setConnectTimeout(timeoutMillis)
                    .setReadTimeout(timeoutMillis)
                    .build());
    if (!config.projectId().isEmpty()) {
      options.setProjectId(config.projectId());
    }
    if (!config.databaseId().isEmpty()) {
      options.setDatabaseId(config.databaseId());
    }
    if (!config.emulatorHost().isEmpty()) {
      options
          .setHost("http://" + config.emulatorHost())
          .setCredentials(NoCredentials.getInstance());
    }
    return options.build().getService();
  }

  private DatastoreClients() {}
}
