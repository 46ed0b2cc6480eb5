package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.autodeploy.core.config.EchoKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Whatever bytes a configuration file holds, the loader returns a configuration or throws its one
 * exception, every problem of which names its line or says what is missing from where, and no
 * message shows a value taken from the environment. The seed corpus holds valid files and the
 * hostile ones a review found (duplicate keys, numbers that wrap, bytes that are not UTF-8, deep
 * nesting, blank credentials, mistyped values from the environment).
 */
class ConfigFileFuzzTest {
    private static final String SECRET = "fuzz-secret-from-env";
    private static final Map<String, String> ENV = Map.of("GITHUB_TOKEN", "ghp_" + SECRET, "WEBHOOK_SECRET", SECRET,
            "DEPLOY_API_KEY", SECRET, "FLAG", SECRET, "EMPTY", "");

    @FuzzTest(maxDuration = "30s")
    void returnsAConfigOrProblemsEachWithItsLine(byte[] file) {
        String start = new String(file, 0, Math.min(file.length, 16), StandardCharsets.ISO_8859_1).strip();
        boolean json = start.startsWith("{");
        try {
            LoadedConfig c = ConfigFile.parse("autodeploy.yml", file, json, ENV, List.of(new EchoKind()));
            assertThat(c.robot().rules()).isNotEmpty();
        } catch (ConfigFileException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> {
                assertThat(p.message()).isNotBlank();
                assertThat(p.line() > 0 || p.message().contains("missing"))
                        .as("names its line or what is missing: %s", p).isTrue();
            });
            if (!new String(file, StandardCharsets.ISO_8859_1).contains(SECRET)) {
                assertThat(e.getMessage()).doesNotContain(SECRET);
            }
        }
    }
}
