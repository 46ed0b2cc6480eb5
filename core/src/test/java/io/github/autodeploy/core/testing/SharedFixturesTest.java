package io.github.autodeploy.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class SharedFixturesTest {
    @TempDir
    Path dir;

    @Test
    void findsTheSharedFolderBesideAnyParentOfTheModule() throws Exception {
        Files.createDirectories(dir.resolve("shared/fixtures"));
        Path module = Files.createDirectories(dir.resolve("project/github-adapter"));
        SharedFixtures.Location found = SharedFixtures.Location.find(module, Map.of());
        assertThat(found.root()).contains(dir.resolve("shared/fixtures"));
        assertThat(found.require(new AtomicBoolean())).isEqualTo(dir.resolve("shared/fixtures"));
    }

    @Test
    void anAbsentFolderSkipsTheConformanceTestAndSaysSoOnce() {
        Path module = dir.resolve("alone/project/core");
        SharedFixtures.Location absent = SharedFixtures.Location.find(module, Map.of("CI", "false"));
        assertThat(absent.root()).isEmpty();
        AtomicBoolean told = new AtomicBoolean();
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> absent.require(told)).isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("../shared/fixtures is absent");
            assertThatThrownBy(() -> absent.require(told)).isInstanceOf(TestAbortedException.class);
        } finally {
            System.setErr(err);
        }
        String note = printed.toString(StandardCharsets.UTF_8);
        assertThat(note).contains("was not found above " + module, "the *ConformanceTest classes did not run");
        assertThat(note.lines().count()).isEqualTo(1);
    }

    @Test
    void underCiAnAbsentFolderIsAFailure() {
        SharedFixtures.Location absent = SharedFixtures.Location.find(dir.resolve("alone/project"), Map.of("CI", "true"));
        assertThatThrownBy(() -> absent.require(new AtomicBoolean())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CI=true is set, so its absence is a failure");
    }

    @Test
    void aTestThatIsNotAConformanceTestMayNotReadTheSharedFolder() {
        assertThatThrownBy(() -> SharedFixtures.text("SOURCES.md")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only conformance tests");
    }
}
