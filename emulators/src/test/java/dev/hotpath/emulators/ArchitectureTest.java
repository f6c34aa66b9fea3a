package dev.hotpath.emulators;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The emulators' packages form layers, with the Datastore storage beneath the query layer. */
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
}
