package io.tpa.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layers depend one way: cli and ui -> operation -> component -> host; model, workspace, wait and error serve all. */
@AnalyzeClasses(packages = "io.tpa", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule nothingDependsOnTheCli = noClasses().that().resideOutsideOfPackage("io.tpa.cli..")
            .should().dependOnClassesThat().resideInAPackage("io.tpa.cli..");

    @ArchTest
    static final ArchRule onlyTheCliStartsTheUi = noClasses().that().resideOutsideOfPackages("io.tpa.cli..", "io.tpa.ui..")
            .should().dependOnClassesThat().resideInAPackage("io.tpa.ui..");

    @ArchTest
    static final ArchRule componentsAndHostsKnowNoOperation = noClasses()
            .that().resideInAnyPackage("io.tpa.component..", "io.tpa.host..", "io.tpa.model..", "io.tpa.workspace..")
            .should().dependOnClassesThat().resideInAPackage("io.tpa.operation..");

    @ArchTest
    static final ArchRule hostsKnowNoComponent = noClasses().that().resideInAPackage("io.tpa.host..")
            .should().dependOnClassesThat().resideInAPackage("io.tpa.component..");

    @ArchTest
    static final ArchRule theModelIsPlainData = noClasses().that().resideInAPackage("io.tpa.model..")
            .should().dependOnClassesThat().resideInAnyPackage("io.tpa.host..", "io.tpa.component..", "io.tpa.workspace..");
}
