package dev.hotpath.functions;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The functions are thin entry points over {@code shared}: of our code they use shared only (not
 * the emulators, the local stack or test support), and nothing of a test framework.
 */
@AnalyzeClasses(
    packages = "dev.hotpath.functions",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Each package, the root one included, is a slice (today there is only the root). */
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.hotpath.(functions..)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule ofOurCodeFunctionsDependOnSharedOnly =
      noClasses()
          .that()
          .resideInAPackage("dev.hotpath.functions..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.hotpath..")
                  .and(not(resideInAnyPackage("dev.hotpath.functions..", "dev.hotpath.shared.."))));

  @ArchTest
  static final ArchRule functionsUseNoTestLibrary =
      noClasses()
          .that()
          .resideInAPackage("dev.hotpath.functions..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.junit..",
              "org.opentest4j..",
              "com.tngtech.archunit..",
              "com.google.cloud.functions.invoker..");
}
