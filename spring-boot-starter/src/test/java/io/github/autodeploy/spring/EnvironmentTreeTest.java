package io.github.autodeploy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class EnvironmentTreeTest {

    private static StandardEnvironment env(Map<String, Object> higher, Map<String, Object> lower) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("lower", lower));
        env.getPropertySources().addFirst(new MapPropertySource("higher", higher));
        return env;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void repositoryKeysKeepTheirSlashAndBracketedKeysKeepTheirDots() {
        Map<String, Object> tree = EnvironmentTree.read(env(ordered(
                "autodeploy.repos.octo/app.folder", "/srv/app",
                "autodeploy.repos[octo/app.js].branch", "main",
                "other.key", "x"), Map.of()));

        assertThat(tree).isEqualTo(Map.of("repos", Map.of(
                "octo/app", Map.of("folder", "/srv/app"),
                "octo/app.js", Map.of("branch", "main"))));
    }

    @Test
    void indexedPropertiesBecomeListsOfLists() {
        Map<String, Object> tree = EnvironmentTree.read(env(ordered(
                "autodeploy.repos.octo/app.commands[0][0]", "make",
                "autodeploy.repos.octo/app.commands[0][1]", "deploy",
                "autodeploy.repos.octo/app.commands[1]", "echo done",
                "autodeploy.engine.workers", 3), Map.of()));

        assertThat(tree).isEqualTo(Map.of(
                "repos", Map.of("octo/app", Map.of("commands", List.of(List.of("make", "deploy"), "echo done"))),
                "engine", Map.of("workers", 3)));
    }

    @Test
    void aKeyFromAHigherSourceWinsAndAListComesWholeFromOneSource() {
        Map<String, Object> tree = EnvironmentTree.read(env(
                ordered("autodeploy.github.webhook_secret", "high",
                        "autodeploy.repos.octo/app.commands[0]", "echo high"),
                ordered("autodeploy.github.webhook_secret", "low",
                        "autodeploy.github.api_url", "https://ghe.example.com/api/v3",
                        "autodeploy.repos.octo/app.commands[0]", "echo low 0",
                        "autodeploy.repos.octo/app.commands[1]", "echo low 1")));

        assertThat(tree).isEqualTo(Map.of(
                "github", Map.of("webhook_secret", "high", "api_url", "https://ghe.example.com/api/v3"),
                "repos", Map.of("octo/app", Map.of("commands", List.of("echo high")))));
    }

    @Test
    void valuesKeepTheirVariablesForTheLoaderAndAnEmptyValueIsNone() {
        Map<String, Object> tree = EnvironmentTree.read(env(ordered(
                "autodeploy.github.token", "${GITHUB_TOKEN}",
                "autodeploy.slack", ""), Map.of()));

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("github", Map.of("token", "${GITHUB_TOKEN}"));
        expected.put("slack", null);
        assertThat(tree).isEqualTo(expected);
    }

    @Test
    void malformedNamesAreSkippedAndTheStarterPrefixIsNotPartOfTheTree() {
        Map<String, Object> tree = EnvironmentTree.read(env(ordered(
                "autodeploy..github", "x",
                "autodeploy.repos[octo/app", "x",
                "autodeploy-boot.webhook-path", "/hook",
                "autodeploy.public_url", "https://deploy.example.com"), Map.of()));

        assertThat(tree).isEqualTo(Map.of("public_url", "https://deploy.example.com"));
    }

    @Test
    void pathsSplitKeysIndexesAndBracketedKeys() {
        assertThat(EnvironmentTree.path(".repos[a/b.c].commands[2][0]")).containsExactly("repos", "a/b.c", "commands", 2, 0);
        assertThat(EnvironmentTree.path("x")).isEmpty();
    }
}
