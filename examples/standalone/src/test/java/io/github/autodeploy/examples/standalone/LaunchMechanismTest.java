package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the server has the JDK start steps' processes: directly by vfork on Linux, unless told otherwise. */
class LaunchMechanismTest {
    private static final String KEY = "jdk.lang.Process.launchMechanism";
    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(KEY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(KEY);
        } else {
            System.setProperty(KEY, before);
        }
    }

    @Test
    void aMechanismGivenOnTheCommandLineWins() {
        System.setProperty(KEY, "POSIX_SPAWN");

        Main.launchStepsDirectly();

        assertThat(System.getProperty(KEY)).isEqualTo("POSIX_SPAWN");
    }

    @Test
    void onLinuxWithJava17To21StepsStartByVforkOtherwiseTheJdkDefaultStays() {
        System.clearProperty(KEY);

        Main.launchStepsDirectly();

        int feature = Runtime.version().feature();
        boolean linux = System.getProperty("os.name").startsWith("Linux");
        assertThat(System.getProperty(KEY)).isEqualTo(linux && feature <= 21 ? "VFORK" : null);
    }
}
