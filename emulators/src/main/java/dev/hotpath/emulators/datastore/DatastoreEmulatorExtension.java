package dev.hotpath.emulators.datastore;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import dev.hotpath.emulators.datastore.grpc.EmulatorGrpcRpc;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Datastore emulator per test class, on a free port, emptied before each test (and
 * its faults and limits switched back to the configuration it was created with).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();
 * }</pre>
 */
public final class DatastoreEmulatorExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  public static final String PROJECT = "test-project";

  private final UnaryOperator<DatastoreEmulator.Builder> configure;
  private DatastoreEmulator emulator;
  /** The test class whose beforeAll started the emulator; @Nested classes share it. */
  private String owner;
  private Faults faults;
  private WriteLimits limits;
  /** The gRPC channels of this test's clients, shut down after it (HTTP clients hold none). */
  private final List<EmulatorGrpcRpc> grpcChannels = new CopyOnWriteArrayList<>();

  private DatastoreEmulatorExtension(UnaryOperator<DatastoreEmulator.Builder> configure) {
    this.configure = configure;
  }

  /** An emulator with the defaults: in memory, no limits, no faults. */
  public static DatastoreEmulatorExtension create() {
    return new DatastoreEmulatorExtension(UnaryOperator.identity());
  }

  /** An emulator configured by {@code configure}, e.g. {@code b -> b.writeLimits(WriteLimits.production())}. */
  public static DatastoreEmulatorExtension create(UnaryOperator<DatastoreEmulator.Builder> configure) {
    return new DatastoreEmulatorExtension(configure);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (emulator != null) {
      return;
    }
    owner = context.getUniqueId();
    DatastoreEmulator.Builder builder = configure.apply(DatastoreEmulator.builder().port(0));
    faults = builder.faults();
    limits = builder.writeLimits();
    emulator = builder.build().start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    emulator.setFaults(faults);
    emulator.setWriteLimits(limits);
    emulator.reset();
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    for (EmulatorGrpcRpc channel : grpcChannels) {
      channel.close();
    }
    grpcChannels.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (emulator != null && context.getUniqueId().equals(owner)) {
      emulator.close();
      emulator = null;
    }
  }

  public DatastoreEmulator emulator() {
    if (emulator == null) {
      throw new IllegalStateException("the emulator runs only while the test class runs");
    }
    return emulator;
  }

  /** Options for the real client: this emulator's host, project {@value #PROJECT}, no credentials. */
  public DatastoreOptions.Builder optionsBuilder() {
    return DatastoreOptions.newBuilder()
        .setHost(emulator().host())
        .setProjectId(PROJECT)
        .setCredentials(NoCredentials.getInstance());
  }

  /**
   * Options for the real client over gRPC (same port as HTTP): this emulator's host, project {@value #PROJECT}, no credentials (see {@link EmulatorGrpcRpc}).
   * The channels of the clients built from it are shut down after each test.
   */
  public DatastoreOptions.Builder grpcOptionsBuilder() {
    return EmulatorGrpcRpc.optionsFor(emulator().host())
        .setProjectId(PROJECT)
        .setServiceRpcFactory(options -> {
          EmulatorGrpcRpc rpc = EmulatorGrpcRpc.create(options);
          grpcChannels.add(rpc);
          return rpc;
        });
  }

  /** A client with the default retry settings. */
  public Datastore client() {
    return optionsBuilder().build().getService();
  }
}
