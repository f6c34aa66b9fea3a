package dev.hotpath.shared.tasks;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import dev.hotpath.shared.config.Env;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place the project gets a {@link CloudTasksClient}. The Java client has no emulator switch
 * of its own, so this is it: with {@value #EMULATOR_HOST} set (e.g. {@code localhost:8123}) the
 * client talks plaintext gRPC to that address without credentials; without it, to production with
 * Application Default Credentials.
 */
public final class CloudTasksClients {
  public static final String EMULATOR_HOST = Settings.TASKS_EMULATOR_HOST.name();

  /** Every setting {@link #create} reads. */
  public static final List<Setting> SETTINGS = List.of(Settings.TASKS_EMULATOR_HOST);

  private static final Pattern HOST_PORT =
      Pattern.compile("[A-Za-z0-9.\\-]+:[0-9]{1,5}|\\[[0-9A-Fa-f:]+\\]:[0-9]{1,5}");

  /**
   * A client for the environment described by {@code env} (pass {@code System.getenv()} in
   * production).
   */
  public static CloudTasksClient create(Map<String, String> env) throws IOException {
    return CloudTasksClient.create(settings(env));
  }

  /** The settings {@link #create} uses; production settings when no emulator is configured. */
  public static CloudTasksSettings settings(Map<String, String> env) throws IOException {
    Optional<String> emulator = emulatorHost(env);
    if (emulator.isEmpty()) {
      return CloudTasksSettings.newBuilder().build();
    }
    return CloudTasksSettings.newBuilder()
        .setEndpoint(emulator.get())
        .setCredentialsProvider(NoCredentialsProvider.create())
        .setTransportChannelProvider(
            InstantiatingGrpcChannelProvider.newBuilder()
                .setEndpoint(emulator.get())
                .setChannelConfigurator(channel -> channel.usePlaintext())
                .build())
        .build();
  }

  /** The configured emulator address, if any; a malformed value is an error, not production. */
  public static Optional<String> emulatorHost(Map<String, String> env) {
    String trimmed = new Env(env).string(Settings.TASKS_EMULATOR_HOST);
    if (trimmed.isEmpty()) {
      return Optional.empty();
    }
    if (!HOST_PORT.matcher(trimmed).matches()) {
      throw new IllegalArgumentException(
          EMULATOR_HOST + " must be HOST:PORT, e.g. localhost:8123, got '" + trimmed + "'");
    }
    return Optional.of(trimmed);
  }

  private CloudTasksClients() {}
}
