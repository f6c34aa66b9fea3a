package dev.hotpath.emulators;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The emulators' packages form layers: the Datastore storage beneath the query layer, the Cloud
 * Tasks engine beneath its gRPC edge.
 */
@AnalyzeClasses(
    packages = "dev.hotpath.emulators",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.hotpath.(emulators..)").should().beFreeOfCycles();

  /**
   * Storage keeps entities and their versions; how queries read them is the query layer's business.
   */
  @ArchTest
  static final ArchRule datastoreStorageDoesNotDependOnTheQueryLayer =
      noClasses()
          .that()
          .resideInAPackage("dev.hotpath.emulators.datastore.store..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.hotpath.emulators.datastore.query..");

  /**
   * The Cloud Tasks emulator from the top: the emulator wires the gRPC edge to the engine (queues
   * and tasks), which hands attempts to the dispatcher and has tokens signed; the engine knows
   * nothing of gRPC, and the dispatcher and signer know nothing of queues.
   */
  @ArchTest
  static final ArchRule tasksLayers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Emulator")
          .definedBy("dev.hotpath.emulators.tasks")
          .layer("Edge")
          .definedBy("dev.hotpath.emulators.tasks.grpc..")
          .layer("Engine")
          .definedBy("dev.hotpath.emulators.tasks.engine..")
          .layer("Oidc")
          .definedBy("dev.hotpath.emulators.tasks.oidc..")
          .layer("Dispatch")
          .definedBy("dev.hotpath.emulators.tasks.dispatch..")
          .whereLayer("Emulator")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Edge")
          .mayOnlyBeAccessedByLayers("Emulator")
          .whereLayer("Engine")
          .mayOnlyBeAccessedByLayers("Emulator", "Edge")
          .whereLayer("Oidc")
          .mayOnlyBeAccessedByLayers("Emulator", "Engine")
          .whereLayer("Dispatch")
          .mayOnlyBeAccessedByLayers("Emulator", "Engine", "Oidc");
}
