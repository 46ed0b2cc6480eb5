package io.github.autodeploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.config.ConfigProblem;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.config.Execution;
import io.github.autodeploy.core.config.ExecutionKind;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Flask robot's config.py, both templates, translated into a file the real loader reads back the same. */
class FlaskConfigImportTest {
    private static final String SECRET = "flask-webhook-secret-0123456789";
    private static final String TOKEN = "ghp_flaskTokenValue0123456789";
    private static final Map<String, String> ENV = Map.of("WEBHOOK_SECRET", SECRET, "GITHUB_TOKEN", TOKEN,
            "SLACK_WEBHOOK", "https://hooks.slack.com/services/T000/B000/XXXXflaskslack");

    /** Claims the ansible_* keys the way the Ansible planner does, so the loader hands them over. */
    private static final ExecutionKind ANSIBLE = new ExecutionKind() {
        @Override
        public String kind() {
            return "ansible";
        }

        @Override
        public boolean claims(String key) {
            return key.startsWith("ansible_");
        }

        @Override
        public List<ConfigProblem> validate(String keyPath, Map<String, Object> options) {
            return List.of();
        }
    };

    private static String template(String name) throws IOException {
        try (InputStream in = FlaskConfigImportTest.class.getResourceAsStream("flask/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static LoadedConfig load(String yaml) {
        return ConfigFile.parse("autodeploy.yml", yaml, false, ENV, List.of(ANSIBLE));
    }

    private static EnvironmentRule rule(LoadedConfig c, String repo) {
        return c.robot().rule(RepositoryName.of(repo), EnvironmentName.PRODUCTION).orElseThrow();
    }

    @Test
    void theDictTemplateTranslatesAndLoadsBackWithTheSameRepositories() throws IOException {
        FlaskConfigImport.Translation t = FlaskConfigImport.translate("config.py", template("config-dict.py"));
        assertThat(t.yaml()).doesNotContain(SECRET, TOKEN, "XXXXflaskslack")
                .contains("webhook_secret: ${WEBHOOK_SECRET}", "token: ${GITHUB_TOKEN}", "webhook_url: ${SLACK_WEBHOOK}")
                .contains("# set WEBHOOK_SECRET in the robot's environment", "# set GITHUB_TOKEN", "# set SLACK_WEBHOOK")
                .contains("# What changes in meaning from the Flask robot:", "merge commit");
        assertThat(t.byHand()).containsExactly("line 2: cannot translate this statement (an import); set it by hand");
        assertThat(t.notes()).anySatisfy(n -> assertThat(n).startsWith("line 8: DEBUG"));

        LoadedConfig c = load(t.yaml());
        assertThat(c.robot().webhookSecrets()).containsExactly(SECRET);
        assertThat(c.robot().githubToken()).contains(TOKEN);
        assertThat(c.robot().slackWebhookUrl()).contains(ENV.get("SLACK_WEBHOOK"));
        assertThat(c.server().port()).isEqualTo(8000);
        EnvironmentRule app = rule(c, "octo/app");
        assertThat(app.folder()).contains("/srv/app");
        assertThat(app.execution()).isEqualTo(new Execution.Commands(List.of(List.of("git", "pull"), List.of("make", "deploy"),
                List.of("echo", "deployed app"))));
        assertThat(app.requiredContexts().names()).contains(List.of("ci/build", "ci/test"));
        EnvironmentRule api = rule(c, "octo/api");
        assertThat(api.folder()).contains("/srv/api");
        assertThat(((Execution.Commands) api.execution()).commands())
                .containsExactly(List.of("git", "fetch", "origin"), List.of("git", "checkout", "--force", "origin/main"));
        assertThat(api.requiredContexts().isAll()).isTrue();
        EnvironmentRule site = rule(c, "octo/site");
        assertThat(site.execution()).isEqualTo(new Execution.Planned("ansible",
                Map.of("ansible_hosts", "hosts", "ansible_playbook", "site.yml")));
        assertThat(site.requiredContexts().isNone()).isTrue();
    }

    @Test
    void theListTemplateOfTheAnsibleRoleTranslatesAndLoadsBack() throws IOException {
        FlaskConfigImport.Translation t = FlaskConfigImport.translate("config.py", template("config-list.py"));
        assertThat(t.byHand()).isEmpty();
        assertThat(t.yaml()).doesNotContain(SECRET, TOKEN).doesNotContain("slack:");
        LoadedConfig c = load(t.yaml());
        assertThat(c.robot().slackWebhookUrl()).isEmpty();
        EnvironmentRule app = rule(c, "octo/app");
        assertThat(app.folder()).contains("/srv/app");
        assertThat(app.execution()).isEqualTo(new Execution.Planned("ansible",
                Map.of("ansible_hosts", "hosts", "ansible_playbook", "site.yml")));
        assertThat(app.requiredContexts().names()).contains(List.of("ci/build"));
        EnvironmentRule web = rule(c, "octo/web");
        assertThat(web.execution()).isEqualTo(new Execution.Commands(List.of(List.of("./deploy.sh", "--env", "production"))));
        assertThat(web.requiredContexts().isAll()).isTrue();
    }

    @Test
    void aByteOrderMarkAndLineSeparatorsInNamesStillGiveYamlThatLoads() {
        FlaskConfigImport.Translation t = FlaskConfigImport.translate("config.py", "\uFEFFSECRET = \"s\"\r\n"
                + "REPOS = [{\"repo\": \"o/q\\u2028x\", \"folder\": \"/srv/q\", \"commands\": [\"make\"]},"
                + " {\"repo\": \"o/r\", \"folder\": \"/srv/a\\u2028b\", \"commands\": [\"make\"]},"
                + " {\"repo\": \"o/z\", \"folder\": \"/srv/z\", \"commands\": []}]\r\n");
        assertThat(t.yaml()).doesNotContain("\u2028", "\uFEFF");
        assertThat(t.byHand()).anySatisfy(n -> assertThat(n).contains("holds no commands"));
        // It parses as YAML; what is left is the repository without commands, named for the operator to finish.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> load(t.yaml())).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("repos.o/z: has nothing to run").hasMessageNotContaining("not valid YAML");
        LoadedConfig c = load(t.yaml().replace("  o/z:\n    folder: /srv/z\n", ""));
        assertThat(c.robot().webhookSecrets()).containsExactly(ENV.get("WEBHOOK_SECRET"));
        assertThat(rule(c, "o/r").folder()).contains("/srv/a\u2028b");
    }

    @Test
    void whatIsNotALiteralIsNamedWithItsLineAndTheRestIsTranslated() {
        FlaskConfigImport.Translation t = FlaskConfigImport.translate("config.py", """
                import os
                SECRET = os.environ.get("SECRET", "fallback-secret-value")
                TOKEN = token
                REPOS = {"octo/app": {"folder": "/srv/app", "commands": ["make deploy && make clean"], "branch": "main"}}
                """);
        assertThat(t.byHand()).containsExactly(
                "line 1: cannot translate this statement (an import); set it by hand",
                "line 2: cannot translate SECRET = ... (not a literal: a name, os.... at 2:10); set it by hand",
                "line 3: cannot translate TOKEN = ... (not a literal: a name, token at 3:9); set it by hand",
                "line 4: REPOS[octo/app].commands: a command needs a shell; rewrite it (see the comment above it)",
                "line 4: REPOS[octo/app].branch is not a key Autodeploy knows; left out");
        assertThat(t.yaml()).doesNotContain("fallback-secret-value").contains("webhook_secret: ${WEBHOOK_SECRET}")
                .contains("- \"make deploy && make clean\"").contains("# this command uses '&', which needs a shell");
        assertThat(load(t.yaml().replace("- \"make deploy && make clean\"", "- [make, deploy]")).robot().rules()).hasSize(1);
    }

    @Test
    void badLiteralSyntaxIsAnErrorAtItsLineAndColumnThatQuotesNoValue() {
        assertThatThrownBy(() -> FlaskConfigImport.translate("config.py", "TOKEN = 'ghp_neverClosedSecret\nREPOS = {}\n"))
                .isInstanceOf(PythonSyntaxException.class)
                .hasMessage("config.py:1:9: the string that starts here is not closed on its line");
        assertThatThrownBy(() -> FlaskConfigImport.translate("config.py", "REPOS = {\n  'octo/app': {'folder': '/srv'],\n}\n"))
                .hasMessage("config.py:2:32: ']' does not close '{' opened at 2:15; expected '}'");
        assertThatThrownBy(() -> FlaskConfigImport.translate("config.py", "SECRET = 'ghp_secretValue' 'x' 3\n"))
                .hasMessage("config.py:1:32: expected the end of the statement, found a number")
                .message().doesNotContain("ghp_secretValue");
    }

    @Test
    void withoutASecretTheFileStillAsksForOne() {
        FlaskConfigImport.Translation t = FlaskConfigImport.translate("config.py", "REPOS = []\n");
        assertThat(t.yaml()).contains("webhook_secret: ${WEBHOOK_SECRET}");
        assertThat(t.notes()).anySatisfy(n -> assertThat(n).contains("sets no SECRET"));
        assertThat(Optional.of(t.yaml())).isNotEmpty();
    }
}
