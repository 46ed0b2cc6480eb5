package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoadedConfigTest {
    private static LoadedConfig parse(String yaml) {
        return ConfigFile.parse("autodeploy.yml", yaml, false, Map.of());
    }

    private static final String BASE = """
            github:
              webhook_secret: s
            repos:
              octo/app: {folder: /srv/app, commands: [[make]]}
            """;

    @Test
    void withoutPublicUrlLinksFollowWhereTheServerIsReached() {
        LoadedConfig c = parse(BASE);
        assertThat(c.server().publicUrl()).isEmpty();
        assertThat(c.reachedAt("http://127.0.0.1:18080").robot().publicUrl()).isEqualTo("http://127.0.0.1:18080");
        assertThat(c.reachedAt("http://127.0.0.1:18080/").robot().publicUrl()).isEqualTo("http://127.0.0.1:18080");
        assertThat(c.reachedAt("http://127.0.0.1:18080").server()).isEqualTo(c.server());
    }

    @Test
    void anExplicitPublicUrlAlwaysWins() {
        LoadedConfig c = parse("public_url: https://deploy.example.com\n" + BASE);
        assertThat(c.server().publicUrl()).isEqualTo(Optional.of("https://deploy.example.com"));
        assertThat(c.reachedAt("http://127.0.0.1:18080").robot().publicUrl()).isEqualTo("https://deploy.example.com");
    }

    @Test
    void aServerReachedAtItsOwnAddressStillMasksWhatTheEnvironmentPutIntoCommands() {
        LoadedConfig c = ConfigFile.parse("autodeploy.yml", """
                github:
                  webhook_secret: s
                repos:
                  octo/app: {folder: /srv/app, commands: [[deploy, "${DEPLOY_API_KEY}"]]}
                """, false, Map.of("DEPLOY_API_KEY", "topsecret-api-key-123"));
        assertThat(c.robot().secrets()).contains("topsecret-api-key-123");
        LoadedConfig reached = c.reachedAt("http://127.0.0.1:18080");
        assertThat(reached.robot().secrets()).contains("topsecret-api-key-123");
        assertThat(reached.robot().environmentValues()).isEqualTo(c.robot().environmentValues());
        assertThat(reached.file()).isEqualTo(c.file());
    }
}
