package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.config.ConfigFile;
import io.github.autodeploy.config.LoadedConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTest {
    private static final String FILE = """
            github:
              token: ${GITHUB_TOKEN:-}
              webhook_secret: hook-secret-value
            slack:
              webhook_url: https://hooks.slack.com/services/T0/B0/slack-secret-value
            pages:
              username: admin
              password: pages-password-value
            repos:
              octo/app:
                folder: /srv/app
                commands: [[make, deploy]]
                environments:
                  staging: {}
                  production: {}
              octo/site: {folder: /srv/site, commands: [[make]]}
            """;
    @TempDir
    Path dir;

    private String summary(Map<String, String> env, String base) throws Exception {
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), FILE);
        LoadedConfig c = ConfigFile.load(file, env);
        return String.join("\n", Summary.lines(file, c.reachedAt(base), base));
    }

    @Test
    void showsWhereEverythingIsOnOneScreenWithoutASecret() throws Exception {
        String s = summary(Map.of("GITHUB_TOKEN", "ghp_token_value"), "http://127.0.0.1:18080");
        assertThat(s).contains("config:       " + dir.resolve("autodeploy.yml"),
                "webhook URL:  http://127.0.0.1:18080/hooks/github",
                "public_url is not set: links use http://127.0.0.1:18080",
                "pages:        http://127.0.0.1:18080/deployments   (user admin and pages.password)",
                "repositories: octo/app -> production, staging",
                "              octo/site -> production",
                "statuses:     posted to GitHub at https://api.github.com (token present)");
        assertThat(s).doesNotContain("ghp_token_value", "hook-secret-value", "slack-secret-value", "pages-password-value");
        assertThat(s.lines().count()).isLessThanOrEqualTo(24);
    }

    @Test
    void namedUsersAreShownWithTheirRolesAndNeverTheirTokens() throws Exception {
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), FILE + """
                access:
                  users:
                    alice: {token: "${ALICE_TOKEN}", role: viewer}
                    bob: {token: bob-token-written-in-the-file, role: deployer}
                """);
        LoadedConfig c = ConfigFile.load(file, Map.of("ALICE_TOKEN", "alice-token-from-the-environment"));
        String s = String.join("\n", Summary.lines(file, c.reachedAt("http://127.0.0.1:8080"), "http://127.0.0.1:8080"));
        assertThat(s).contains("the users of access.users, by bearer token or by name and token",
                "users:        alice (viewer), bob (deployer), admin (admin)")
                .doesNotContain("alice-token-from-the-environment", "bob-token-written-in-the-file", "pages-password-value");
    }

    @Test
    void withoutATokenStatusesAreSaidToStayLocal() throws Exception {
        assertThat(summary(Map.of(), "http://127.0.0.1:8080")).contains("statuses:     kept on the pages and in the log (no github.token)");
    }

    @Test
    void anExplicitPublicUrlIsWhatGitHubIsToldAndNoHintIsGiven() throws Exception {
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), "public_url: https://deploy.example.com\n" + FILE);
        LoadedConfig c = ConfigFile.load(file, Map.of());
        String s = String.join("\n", Summary.lines(file, c.reachedAt("http://127.0.0.1:8080"), "http://127.0.0.1:8080"));
        assertThat(s).contains("webhook URL:  https://deploy.example.com/hooks/github", "pages:        https://deploy.example.com/deployments")
                .doesNotContain("public_url is not set");
    }

    @Test
    void checkConfigPrintsTheSummaryForTheConfiguredPort() throws Exception {
        Path file = Files.writeString(dir.resolve("autodeploy.yml"), "server: {port: 9090}\n" + FILE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"check-config", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err, Map.of());
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("is valid: 3 rule(s)", "webhook URL:  http://127.0.0.1:9090/hooks/github",
                "repositories: octo/app -> production, staging");
    }
}
