package org.pvmakka.tests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
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
    void thePublicApiExposesNoInternalType() {
        classes().that().resideInAnyPackage("org.pvmakka.javadsl..", "org.pvmakka.task..").and().arePublic()
                .should(new ArchCondition<JavaClass>("expose no org.pvmakka.internal type in a public member") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        for (JavaMember m : c.getMembers()) {
                            if (!m.getModifiers().contains(JavaModifier.PUBLIC)) {
                                continue;
                            }
                            List<JavaClass> types = new ArrayList<>();
                            if (m instanceof JavaField f) {
                                types.add(f.getRawType());
                            } else if (m instanceof JavaCodeUnit u) {
                                types.addAll(u.getRawParameterTypes());
                                types.add(u.getRawReturnType());
                            }
                            for (JavaClass t : types) {
                                if (t.getPackageName().startsWith("org.pvmakka.internal")) {
                                    events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes "
                                            + t.getName()));
                                }
                            }
                        }
                    }
                })
                .because("javadsl and task are what users import; the runtime's internals stay behind them")
                .check(library);
    }
}
