package dev.hotpath.shared;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The library's packages form layers: no package depends, even indirectly, on one that depends on
 * it. Configuration and Datastore access are at the bottom, group commit above them.
 */
@AnalyzeClasses(
    packages = "dev.hotpath.shared",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.hotpath.(shared..)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule configurationAndDatastoreAccessSitBeneathGroupCommit =
      noClasses()
          .that()
          .resideInAnyPackage("dev.hotpath.shared.config..", "dev.hotpath.shared.datastore..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.hotpath.shared.groupcommit..");

  /** The functions are the only Functions Framework code; the library runs anywhere. */
  @ArchTest
  static final ArchRule noFunctionsFrameworkInTheLibrary =
      noClasses()
          .that()
          .resideInAPackage("dev.hotpath.shared..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.google.cloud.functions..");
}
