package io.github.autodeploy.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The architecture rules that hold in every module, shared by core's {@code ArchitectureTest} and the
 * cross-module boundary test (through core's test-jar).
 */
public final class ArchitectureRules {
    /** Every package is a slice; no slice may reach itself again through others. */
    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("(**)").should().beFreeOfCycles();

    /** Only {@code TimeSource.system()} reads the system clock: time comes from the injected source. */
    public static final ArchRule SYSTEM_CLOCK =
            noClasses().that().doNotHaveFullyQualifiedName("io.github.autodeploy.core.time.SystemTimeSource")
                    .should().callMethod(System.class, "currentTimeMillis")
                    .orShould().callMethod(System.class, "nanoTime")
                    .orShould().callMethod(java.time.Instant.class, "now")
                    .orShould().callMethod(java.time.Clock.class, "systemUTC")
                    .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
                    .orShould().callMethod(java.time.Clock.class, "system", java.time.ZoneId.class)
                    .orShould().callMethod(java.time.LocalDateTime.class, "now")
                    .orShould().callMethod(java.time.OffsetDateTime.class, "now")
                    .orShould().callMethod(java.time.ZonedDateTime.class, "now")
                    .because("time comes from the injected TimeSource, so tests can move it");

    private ArchitectureRules() {
    }
}
