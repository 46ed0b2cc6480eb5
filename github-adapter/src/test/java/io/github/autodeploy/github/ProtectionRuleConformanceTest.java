package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.port.ProtectionRuleApi;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.core.testing.SharedFixtures;
import io.github.autodeploy.testkit.Values;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * Protection rules against the team's third-party data in {@code ../shared/fixtures}: the project's
 * payload passes GitHub's webhook JSON schema for {@code deployment_protection_rule} (and parses), the
 * project's copy of the OpenAPI subset is the team's, and every request the client sends passes it.
 */
class ProtectionRuleConformanceTest {
    private static final String SCHEMAS = "github-webhooks/octokit/payload-schemas/api.github.com/";
    private static final ObjectMapper JSON = new ObjectMapper();
    @StartStop
    private final MockWebServer server = new MockWebServer();

    @Test
    void theProjectsPayloadPassesGitHubsSchemaAndParses() throws IOException {
        JsonNode schema = inline(JSON.readTree(SharedFixtures.text(SCHEMAS + "deployment_protection_rule/requested.schema.json")),
                SharedFixtures.path(SCHEMAS + "deployment_protection_rule"), 0);
        ObjectNode payload = WebhookParserProtectionRuleTest.payload();
        Set<ValidationMessage> problems = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema).validate(payload);
        assertThat(problems).as("the project's payload against GitHub's schema").isEmpty();

        ObjectNode unknown = payload.deepCopy();
        unknown.put("not_in_the_schema", true);
        assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema).validate(unknown))
                .as("the schema check notices a field GitHub does not send").isNotEmpty();

        assertThat(WebhookParser.create().parse("deployment_protection_rule", "application/json", payload.toString().getBytes()))
                .isInstanceOf(WebhookEvent.ProtectionRuleRequested.class);
    }

    @Test
    void theProjectsCopyOfTheOpenApiSubsetIsTheTeams() throws IOException {
        JsonNode team = JSON.readTree(SharedFixtures.text("github-rest-openapi/protection-rules-subset.api.github.com.json"));
        try (InputStream in = getClass().getResourceAsStream(DescribedRequests.PROTECTION_RULES)) {
            assertThat(JSON.readTree(in)).isEqualTo(team);
        }
    }

    @Test
    void everyRequestTheClientSendsPassesTheTeamsDescription() throws IOException {
        ProtectionRuleGitHub github = new ProtectionRuleGitHub();
        server.setDispatcher(github);
        ProtectionRuleClient client = ProtectionRuleClient.builder().baseUrl(server.url("/").toString())
                .app(12345, ProtectionRuleGitHub.PEM).build();
        ProtectionRuleTarget target = new ProtectionRuleTarget(Values.REPO, 77L, EnvironmentName.PRODUCTION, OptionalLong.of(9));
        client.review(target, ProtectionRuleApi.Decision.APPROVED, "all green");
        client.review(target, ProtectionRuleApi.Decision.REJECTED, "x".repeat(2000));
        client.report(target, "waiting for ci/build");
        DescribedRequests team = new DescribedRequests(JSON.readTree(
                SharedFixtures.text("github-rest-openapi/protection-rules-subset.api.github.com.json")));
        assertThat(github.requests()).hasSize(4).allSatisfy(r -> team.assertDescribes(r, ""));
    }

    /** The schema with each relative {@code $ref} replaced by the file it names (a recursive one, deeper than 8, by "anything"). */
    private static JsonNode inline(JsonNode node, Path dir, int depth) throws IOException {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.has("$ref") && !o.path("$ref").asText().startsWith("#")) {
                if (depth > 8) {
                    return JSON.createObjectNode();
                }
                Path file = dir.resolve(o.path("$ref").asText()).normalize();
                if (!file.toFile().exists()) {
                    file = dir.getParent().resolve(o.path("$ref").asText()).normalize();
                }
                ObjectNode target = (ObjectNode) JSON.readTree(file.toFile());
                target.remove("$id");
                target.remove("$schema");
                return inline(target, file.getParent(), depth + 1);
            }
            ObjectNode out = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("$id")) {
                    out.set(e.getKey(), inline(e.getValue(), dir, depth));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            for (JsonNode n : node) {
                out.add(inline(n, dir, depth));
            }
            return out;
        }
        return node;
    }
}
