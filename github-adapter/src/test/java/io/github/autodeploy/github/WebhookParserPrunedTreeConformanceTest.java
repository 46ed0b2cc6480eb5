package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.testing.SharedFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser reads only the fields it uses ({@link PrunedJson}); for every real payload in
 * {@code ../shared/fixtures} read as every event, and for odd documents, it gives the event (or the error
 * message) it gives when handed the payload's full tree.
 */
class WebhookParserPrunedTreeConformanceTest {
    private static final String[] EVENTS = {"ping", "push", "pull_request", "deployment", "deployment_status", "status",
        "check_run", "check_suite", "workflow_run", "deployment_protection_rule"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WebhookParser parser = WebhookParser.create();

    static Stream<Path> everyFixture() throws Exception {
        try (Stream<Path> files = Files.walk(SharedFixtures.path("github-webhooks"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("everyFixture")
    void everyRealPayloadGivesTheFullTreesEventAsAnyEvent(Path file) throws Exception {
        byte[] body = Files.readAllBytes(file);
        for (String event : EVENTS) {
            assertThat(outcome(parser, event, body)).as(event).isEqualTo(fullTreeOutcome(event, body));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"zen\":\"a\",\"zen\":\"b\",\"repository\":{\"full_name\":\"o/x\"},\"repository\":{\"full_name\":\"o/y\"}}",
        "{\"repository\":\"o/x\",\"zen\":[1,{\"a\":2}]}",
        "{\"repository\":[{\"full_name\":\"o/x\"}],\"zen\":7}",
        "{\"repository\":{\"full_name\":null},\"zen\":1.5e3}",
        "{\"repository\":{\"owner\":{\"login\":\"o\"},\"full_name\":\"o/x\",\"x\":[[],{}]},\"zen\":true}",
        "[1]", "null", "\"text\"", "12", "", "  ", "{} trailing", "{\"zen\":\"a\"", "{\"a\":[1,2}",
        "{\"deployment\":{\"payload\":{\"z\":1,\"autodeploy\":{\"requester\":\"octocat\"}},\"id\":12345678901234567890}}"
    })
    void oddDocumentsGiveTheFullTreesOutcome(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (String event : EVENTS) {
            assertThat(outcome(parser, event, bytes)).as(event).isEqualTo(fullTreeOutcome(event, bytes));
        }
    }

    @Test
    void theDeploymentPayloadIsKeptWhole() throws Exception {
        byte[] body = SharedFixtures.bytes("github-webhooks/octokit/payload-examples/api.github.com/deployment/payload.json");
        JsonNode pruned = PrunedJson.keeping(JSON, "deployment.payload").read(body);
        assertThat(pruned.at("/deployment/payload")).isEqualTo(JSON.readTree(body).at("/deployment/payload"));
        assertThat(pruned.size()).isEqualTo(1);
        assertThat(pruned.get("deployment").size()).isEqualTo(1);
    }

    private static List<String> outcome(WebhookParser parser, String event, byte[] body) {
        List<String> outcome = new ArrayList<>();
        try {
            outcome.add(parser.parse(event, "application/json", body).toString());
        } catch (WebhookParseException e) {
            outcome.add(e.kind() + ": " + e.getMessage());
        }
        return outcome;
    }

    private List<String> fullTreeOutcome(String event, byte[] body) {
        List<String> outcome = new ArrayList<>();
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            outcome.add(WebhookParseException.Kind.MALFORMED + ": the body is not valid JSON: "
                    + ((com.fasterxml.jackson.core.JacksonException) e).getOriginalMessage());
            return outcome;
        }
        try {
            outcome.add(parser.event(event, root).toString());
        } catch (WebhookParseException e) {
            outcome.add(e.kind() + ": " + e.getMessage());
        }
        return outcome;
    }
}
