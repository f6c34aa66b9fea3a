package dev.hotpath.local;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * hotpath-local from the top: the commands (this package, with {@code Main}) drive the local stack
 * and the benchmarks, the benchmarks start parts of the stack, and all of them read arguments with
 * the flags package, which knows none of them.
 */
@AnalyzeClasses(
    packages = "dev.hotpath.local",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.hotpath.(local..)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Commands")
          .definedBy("dev.hotpath.local")
          .layer("Bench")
          .definedBy("dev.hotpath.local.bench..")
          .layer("Stack")
          .definedBy("dev.hotpath.local.stack..")
          .layer("Status")
          .definedBy("dev.hotpath.local.status..")
          .layer("Flags")
          .definedBy("dev.hotpath.local.flags..")
          .whereLayer("Commands")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Bench")
          .mayOnlyBeAccessedByLayers("Commands")
          .whereLayer("Stack")
          .mayOnlyBeAccessedByLayers("Commands", "Bench")
          .whereLayer("Status")
          .mayOnlyBeAccessedByLayers("Stack")
          .whereLayer("Flags")
          .mayOnlyBeAccessedByLayers("Commands", "Bench", "Stack");
}
