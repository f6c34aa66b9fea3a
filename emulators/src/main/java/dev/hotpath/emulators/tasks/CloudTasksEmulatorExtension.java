package dev.hotpath.emulators.tasks;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5: one {@link CloudTasksEmulator} per test class, reset (no queues, no tasks, no remembered
 * names) before each test, and a real {@link CloudTasksClient} pointed at it.
 *
 * <pre>{@code
 * @RegisterExtension static final CloudTasksEmulatorExtension tasks = CloudTasksEmulatorExtension.create();
 * tasks.client().createQueue(...);
 * }</pre>
 */
public final class CloudTasksEmulatorExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final CloudTasksEmulator.Builder builder;
  private CloudTasksEmulator emulator;
  private CloudTasksClient client;

  private CloudTasksEmulatorExtension(CloudTasksEmulator.Builder builder) {
    this.builder = builder;
  }

  /** An emulator on a free port with production settings. */
  public static CloudTasksEmulatorExtension create() {
    return new CloudTasksEmulatorExtension(CloudTasksEmulator.builder());
  }

  /** An emulator built from {@code builder}, e.g. with a hand-driven clock. */
  public static CloudTasksEmulatorExtension create(CloudTasksEmulator.Builder builder) {
    return new CloudTasksEmulatorExtension(builder);
  }

  public CloudTasksEmulator emulator() {
    return emulator;
  }

  /** A client with default retry settings, over plaintext, without credentials. */
  public CloudTasksClient client() {
    return client;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    emulator = builder.build();
    emulator.start();
    CloudTasksSettings settings =
        CloudTasksSettings.newBuilder()
            .setCredentialsProvider(NoCredentialsProvider.create())
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(emulator.host())
                    .setChannelConfigurator(channel -> channel.usePlaintext())
                    .build())
            .build();
    try {
      client = CloudTasksClient.create(settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    emulator.reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (client != null) {
      client.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }
}
