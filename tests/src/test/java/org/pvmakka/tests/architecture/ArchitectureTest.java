package org.pvmakka.tests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of the library jars (bridge, actors), held by ArchUnit on their compiled classes. */
class ArchitectureTest {
    static JavaClasses library;

    @BeforeAll
    static void importClasses() {
        library = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/pvm-akka-cli") && !location.contains("/src/cli/"))
                .importPackages("org.pvmakka.task", "org.pvmakka.javadsl", "org.pvmakka.testkit", "org.pvmakka.internal");
    }

    @Test
    void theTaskApiDependsOnNothingElseOfOurs() {
        ArchRule rule = classes().that().resideInAPackage("org.pvmakka.task..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.pvmakka.task..", "java..");
        rule.check(library);
    }

    @Test
    void onlyTheBindingUsesJna() {
        noClasses().that().resideOutsideOfPackage("org.pvmakka.internal.bridge.jna..")
                .should().dependOnClassesThat().resideInAPackage("com.sun.jna..").check(library);
    }

    @Test
    void onlyTheCodecUsesKryo() {
        noClasses().that().resideOutsideOfPackage("org.pvmakka.internal.codec..")
                .should().dependOnClassesThat().resideInAPackage("com.esotericsoftware..").check(library);
    }

    @Test
    void theSimulatorNeverDependsOnTheJnaBinding() {
        noClasses().that().resideInAPackage("org.pvmakka.testkit..")
                .should().dependOnClassesThat().resideInAPackage("org.pvmakka.internal.bridge.jna..").check(library);
    }

    @Test
    void theBridgeModuleKnowsNoAkkaAndNoActorPackage() {
        noClasses().that().resideInAnyPackage("org.pvmakka.task..", "org.pvmakka.internal.bridge..",
                "org.pvmakka.internal.codec..", "org.pvmakka.internal.wire..", "org.pvmakka.internal.worker..")
                .should().dependOnClassesThat().resideInAnyPackage("akka..", "scala..", "org.pvmakka.javadsl..",
                        "org.pvmakka.testkit..", "org.pvmakka.internal.actors..")
                .check(library);
    }

    @Test
    void noCyclesBetweenTheInternalPackages() {
        // among them: the wire types and the codec
        slices().matching("org.pvmakka.internal.(**)").should().beFreeOfCycles().check(library);
    }

    @Test
    void wireTypesDoNotDependOnTheCodec() {
        noClasses().that().resideInAPackage("org.pvmakka.internal.wire..")
                .should().dependOnClassesThat().resideInAPackage("org.pvmakka.internal.codec..").check(library);
    }

    @Test
    void thePublicApiNamesNoWorkerOrCodecInternals() {
        noClasses().that().resideInAnyPackage("org.pvmakka.javadsl..").and().arePublic()
                .and().doNotHaveSimpleName("PvmSettings") // its typed fields are read by the runtime (see the note)
                .should().dependOnClassesThat().resideInAnyPackage("org.pvmakka.internal.codec..",
                        "org.pvmakka.internal.worker..", "org.pvmakka.internal.bridge.jna..")
                .because("javadsl is what users import; the runtime's internals stay behind it")
                .check(library);
    }
}
