package io.github.autodeploy.examples.standalone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.autodeploy.core.ArchitectureRules;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rule across modules (here, where every module is on the class path): core depends on
 * no other module; the config loader on core only; adapters on core only, except that the servlet
 * adapter may use the GitHub one; only the assembly may use them all; and no module reads the
 * system clock but through core's default time source.
 */
class ModuleBoundariesTest {
    private static JavaClasses all;

    @BeforeAll
    static void importAll() {
        all = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.github.autodeploy");
    }

    /** No package of any module reaches itself again through packages of this or other modules. */
    @Test
    void noPackageCycleInAnyModule() {
        ArchitectureRules.NO_PACKAGE_CYCLES.check(all);
    }

    /** Time comes from core's TimeSource everywhere; only its default reads the system clock. */
    @Test
    void onlyTheDefaultTimeSourceReadsTheSystemClock() {
        ArchitectureRules.SYSTEM_CLOCK.check(all);
    }

    /** Which modules' packages each module may use (besides its own and third-party code). */
    private static final Map<String, Set<String>> MAY_USE = Map.of(
            "core", Set.of(),
            "testkit", Set.of("core"),
            "config", Set.of("core"),
            "github", Set.of("core"),
            "slack", Set.of("core"),
            "ansible", Set.of("core"),
            "store", Set.of("core"),
            "micrometer", Set.of("core"),
            "servlet", Set.of("core", "github"),
            "assembly", Set.of("core", "config", "github", "slack", "ansible", "servlet", "store"));

    @Test
    void eachModuleUsesOnlyTheModulesItMay() {
        MAY_USE.forEach((module, allowed) -> {
            String[] forbidden = MAY_USE.keySet().stream().filter(m -> !m.equals(module) && !allowed.contains(m))
                    .map(m -> "io.github.autodeploy." + m + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("io.github.autodeploy." + module + "..").should()
                    .dependOnClassesThat().resideInAnyPackage(forbidden)
                    .as(module + " uses only " + (allowed.isEmpty() ? "the JDK and its libraries" : allowed))
                    .check(all);
        });
    }
}
