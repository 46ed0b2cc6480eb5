package io.github.autodeploy.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps core free of third-party code, its packages free of cycles (a DAG with {@code model} at the
 * bottom and {@code engine}/{@code local} on top), its pure packages free of I/O, threads and the
 * clock, and everything but the default time source off the system clock.
 */
class ArchitectureTest {
    private static final String[] PURE = {
        "io.github.autodeploy.core.model..", "io.github.autodeploy.core.event..",
        "io.github.autodeploy.core.lifecycle..", "io.github.autodeploy.core.gate..",
        "io.github.autodeploy.core.plan..", "io.github.autodeploy.core.config.."};
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.autodeploy.core");
    }

    @Test
    void packagesFormNoCycle() {
        ArchitectureRules.NO_PACKAGE_CYCLES.check(core);
    }

    @Test
    void theCycleRuleFailsOnACycle() {
        JavaClasses cyclic = new ClassFileImporter().importClasses(
                archfixture.cyclea.UsesB.class, archfixture.cycleb.UsesA.class);
        assertThatThrownBy(() -> ArchitectureRules.NO_PACKAGE_CYCLES.check(cyclic))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected");
    }

    @Test
    void coreDependsOnlyOnTheJdkAndSlf4j() {
        // javax.crypto is the JDK's own (Seals signs with HmacSHA256).
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.crypto..", "org.slf4j..", "io.github.autodeploy.core..")
                .check(core);
    }

    @Test
    void purePackagesDoNoIo() {
        noClasses().that().resideInAnyPackage(PURE).should().dependOnClassesThat()
                .resideInAnyPackage("java.io..", "java.nio.file..", "java.net..", "java.util.concurrent..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .check(core);
    }

    @Test
    void purePackagesReadNoClock() {
        noClasses().that().resideInAnyPackage(PURE).should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
                .check(core);
    }

    @Test
    void onlyTheDefaultTimeSourceReadsTheSystemClock() {
        ArchitectureRules.SYSTEM_CLOCK.check(core);
    }

    @Test
    void theClockRuleFailsOnACallToTheSystemClock() {
        JavaClasses reader = new ClassFileImporter().importClasses(archfixture.clock.ReadsTheClock.class);
        assertThatThrownBy(() -> ArchitectureRules.SYSTEM_CLOCK.check(reader))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("System.nanoTime()");
    }

    @Test
    void engineUsesPortsNotConcreteAdapters() {
        noClasses().that().resideInAPackage("io.github.autodeploy.core.engine..").should().dependOnClassesThat()
                .resideInAPackage("io.github.autodeploy.core.local..")
                .check(core);
    }
}
