package io.github.autodeploy.store.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's public surface is its entry point and its result record; it uses no other adapter. */
class ApiSurfaceTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.github.autodeploy.store.jdbc");

    @Test
    void onlyTheEntryPointAndItsResultArePublic() {
        classes().that().arePublic().and().areTopLevelClasses().should()
                .haveSimpleName("JdbcDeploymentStore").orShould().haveSimpleName("PruneResult").check(CLASSES);
    }

    @Test
    void dependsOnCoreAndNoAdapter() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.github.autodeploy.github..",
                "io.github.autodeploy.slack..", "io.github.autodeploy.ansible..", "io.github.autodeploy.servlet..",
                "io.github.autodeploy.config..", "io.github.autodeploy.core.engine..").check(CLASSES);
    }
}
