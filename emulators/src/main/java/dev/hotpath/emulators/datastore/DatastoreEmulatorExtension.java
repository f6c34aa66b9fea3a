package dev.hotpath.emulators.datastore;

import com.google.cloud.NoCredentials;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreOptions;
import dev.hotpath.datastoreclient.EmulatorGrpcRpc;
import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import dev.hotpath.emulators.datastore.backend.GoogleEmulator;
import dev.hotpath.emulators.datastore.engine.Faults;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Datastore emulator per test class, on a free port, emptied before each test (and
 * its faults and limits switched back to the configuration it was created with).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DatastoreEmulatorExtension datastore = DatastoreEmulatorExtension.create();
 * }</pre>
 *
 * <p>Created with {@link #onBackendUnderTest}, the class instead runs on the backend the system
 * property {@value DatastoreBackend#TEST_PROPERTY} names (ours by default; the build runs those
 * suites once per backend). A Google emulator that is not installed skips the class with a message,
 * or fails it with {@code HOTPATH_REQUIRE_SYSTEM_TESTS=true} (CI).
 */
public final class DatastoreEmulatorExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ExecutionCondition {
  public static final String PROJECT = "test-project";

  private final UnaryOperator<DatastoreEmulator.Builder> configure;
  private final DatastoreBackend backend;
  private DatastoreEmulator emulator;
  private GoogleEmulator google;

  /** The test class whose beforeAll started the emulator; @Nested classes share it. */
  private String owner;

  private Faults faults;
  private WriteLimits limits;

  /** The gRPC channels of this test's clients, shut down after it (HTTP clients hold none). */
  private final List<EmulatorGrpcRpc> grpcChannels = new CopyOnWriteArrayList<>();

  private DatastoreEmulatorExtension(
      UnaryOperator<DatastoreEmulator.Builder> configure, DatastoreBackend backend) {
    this.configure = configure;
    this.backend = backend;
  }

  /** An emulator with the defaults: in memory, no limits, no faults. */
  public static DatastoreEmulatorExtension create() {
    return create(UnaryOperator.identity());
  }

  /**
   * An emulator configured by {@code configure}, e.g. {@code b ->
   * b.writeLimits(WriteLimits.production())}.
   */
  public static DatastoreEmulatorExtension create(
      UnaryOperator<DatastoreEmulator.Builder> configure) {
    return new DatastoreEmulatorExtension(configure, DatastoreBackend.HOTPATH);
  }

  /**
   * The backend named by {@value DatastoreBackend#TEST_PROPERTY}; {@code configure} applies when
   * that is ours (Google's emulators have no faults, limits or index enforcement).
   */
  public static DatastoreEmulatorExtension onBackendUnderTest(
      UnaryOperator<DatastoreEmulator.Builder> configure) {
    return new DatastoreEmulatorExtension(
        configure,
        DatastoreBackend.parse(System.getProperty(DatastoreBackend.TEST_PROPERTY, "hotpath")));
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (!backend.isGoogle() || backend.launcher(System.getenv()).isPresent()) {
      return ConditionEvaluationResult.enabled("Datastore backend " + backend.id());
    }
    String message =
        "needs Google's emulator for backend "
            + backend.id()
            + ", looked for at "
            + backend.whereLooked();
    if ("true".equals(System.getenv("HOTPATH_REQUIRE_SYSTEM_TESTS"))) {
      throw new IllegalStateException(
          "HOTPATH_REQUIRE_SYSTEM_TESTS=true but " + context.getDisplayName() + " " + message);
    }
    String skipped = "SKIPPED " + context.getDisplayName() + " on " + backend.id() + ": " + message;
    System.out.println(skipped);
    return ConditionEvaluationResult.disabled(skipped);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (emulator != null || google != null) {
      return;
    }
    owner = context.getUniqueId();
    if (backend.isGoogle()) {
      System.out.println(context.getDisplayName() + ": Datastore backend " + backend.id());
      google = GoogleEmulator.start(backend, 0, System.getenv());
      return;
    }
    DatastoreEmulator.Builder builder = configure.apply(DatastoreEmulator.builder().port(0));
    faults = builder.faults();
    limits = builder.writeLimits();
    emulator = builder.build().start();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (google != null) {
      google.reset();
      return;
    }
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
    if (!context.getUniqueId().equals(owner)) {
      return;
    }
    if (emulator != null) {
      emulator.close();
      emulator = null;
    }
    if (google != null) {
      google.close();
      google = null;
    }
  }

  /** The backend this class runs on. */
  public DatastoreBackend backend() {
    return backend;
  }

  /** Our emulator, for what only it offers (faults, limits, stats); see {@link #ours()}. */
  public DatastoreEmulator emulator() {
    if (backend.isGoogle()) {
      throw new IllegalStateException(
          "this class runs on " + backend.id() + "; use ours() for what only ours offers");
    }
    if (emulator == null) {
      throw new IllegalStateException("the emulator runs only while the test class runs");
    }
    return emulator;
  }

  /** Our emulator when this class runs on it; empty on Google's. */
  public Optional<DatastoreEmulator> ours() {
    return backend.isGoogle() ? Optional.empty() : Optional.of(emulator());
  }

  /** {@code localhost:PORT} of whichever backend runs, for DATASTORE_EMULATOR_HOST. */
  public String host() {
    if (google != null) {
      return google.host();
    }
    return emulator().host();
  }

  /**
   * Options for the real client: this emulator's host, project {@value #PROJECT}, no credentials.
   */
  public DatastoreOptions.Builder optionsBuilder() {
    return DatastoreOptions.newBuilder()
        .setHost(host())
        .setProjectId(PROJECT)
        .setCredentials(NoCredentials.getInstance());
  }

  /**
   * Options for the real client over gRPC (same port as HTTP): this emulator's host, project
   * {@value #PROJECT}, no credentials (see {@link EmulatorGrpcRpc}). The channels of the clients
   * built from it are shut down after each test.
   */
  public DatastoreOptions.Builder grpcOptionsBuilder() {
    return EmulatorGrpcRpc.optionsFor(host())
        .setProjectId(PROJECT)
        .setServiceRpcFactory(
            options -> {
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
