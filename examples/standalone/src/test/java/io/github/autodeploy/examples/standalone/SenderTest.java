package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code send deployment_protection_rule}: a new workflow run each time, on the API URL it is told, and a bad number refused. */
class SenderTest {
    @Test
    void eachProtectionRuleRequestIsANewRunUnlessOneIsGiven() {
        ObjectNode first = Sender.payload("deployment_protection_rule", Map.of());
        ObjectNode second = Sender.payload("deployment_protection_rule", Map.of());
        assertThat(first.path("deployment_callback_url").asText())
                .startsWith("https://api.github.com/repos/example/app/actions/runs/").endsWith("/deployment_protection_rule")
                .isNotEqualTo(second.path("deployment_callback_url").asText());
        assertThat(Sender.payload("deployment_protection_rule", Map.of("run", "31", "installation", "8"))
                .path("deployment_callback_url").asText()).contains("/actions/runs/31/");
        assertThat(first.path("installation").path("id").asLong()).isEqualTo(1);
        assertThat(first.path("action").asText()).isEqualTo("requested");
    }

    @Test
    void theCallbackIsOnTheApiUrlOfTheCommandLine() {
        ObjectNode p = Sender.payload("deployment_protection_rule", Map.of("api-url", "https://ghe.example.com/api/v3", "run", "7",
                "repo", "octo/app"));
        assertThat(p.path("deployment_callback_url").asText())
                .isEqualTo("https://ghe.example.com/api/v3/repos/octo/app/actions/runs/7/deployment_protection_rule");
    }

    @Test
    void aRunThatIsNotANumberIsAWrongCommandLine() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"send", "deployment_protection_rule", "--to", "http://127.0.0.1:9/hooks/github",
                "--secret", "s", "--run", "soon"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("run \"soon\" must be a positive whole number");
    }
}
