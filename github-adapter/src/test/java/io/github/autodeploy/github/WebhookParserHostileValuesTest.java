package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.Requester;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Values a record refuses make the delivery a client error (400), never an exception that escapes as a 500. */
class WebhookParserHostileValuesTest {
    private final WebhookParser parser = WebhookParser.create();

    static String deployment(String task, String ref, String payload) {
        return """
                {"action":"created",
                 "deployment":{"id":42,"sha":"a10867b14bb761a232cd80139fbd4c0d33264240","ref":%s,"task":%s,
                   "environment":"production","payload":%s,"creator":{"login":"mallory"}},
                 "repository":{"full_name":"octo/app","default_branch":"main"},
                 "sender":{"login":"mallory"}}
                """.formatted(ref, task, payload);
    }

    private WebhookEvent parse(String body) {
        return parser.parse("deployment", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
            "\"deploy\\u0007\"", "\"--help\""})
    void aTaskTheRobotCannotUseIsAMalformedDeliveryNotAnError(String task) {
        assertThatThrownBy(() -> parse(deployment(task, "\"main\"", "{}")))
                .isInstanceOfSatisfying(WebhookParseException.class,
                        e -> assertThat(e.kind()).isEqualTo(WebhookParseException.Kind.MALFORMED))
                .hasMessageStartingWith("deployment event: ").hasMessageContaining("task");
    }

    @Test
    void aRefWithShellMetacharactersIsAMalformedDelivery() {
        assertThatThrownBy(() -> parse(deployment("\"deploy\"", "\"main;id>/tmp/x/pwned\"", "{}")))
                .isInstanceOfSatisfying(WebhookParseException.class,
                        e -> assertThat(e.kind()).isEqualTo(WebhookParseException.Kind.MALFORMED))
                .hasMessageContaining("shell");
    }

    @Test
    void aRequesterNamedInThePayloadIsOnlyAClaimTheDeploymentIsStillTheCreators() {
        WebhookEvent e = parse(deployment("\"deploy\"", "\"main\"", "{\"autodeploy\":{\"requester\":\"the-cto\"}}"));
        WebhookEvent.DeploymentCreated created = (WebhookEvent.DeploymentCreated) e;
        assertThat(created.deployment().requester()).isEqualTo(Requester.of("mallory"));
        assertThat(created.requestedFor()).contains(Requester.of("the-cto"));
    }
}
