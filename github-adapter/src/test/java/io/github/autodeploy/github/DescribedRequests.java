package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import mockwebserver3.RecordedRequest;

/**
 * Checks recorded requests against an OpenAPI description of GitHub's REST API: the path and method exist
 * and the JSON body passes the operation's request schema, unknown fields forbidden (each {@code anyOf}
 * branch too). The project's own copy of the protection-rules subset is {@link #protectionRules()};
 * {@code ProtectionRuleConformanceTest} keeps it equal to the team's. Thread-safe.
 */
final class DescribedRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PROTECTION_RULES = "/github-api/protection-rules-subset.api.github.com.json";
    private final JsonNode spec;

    DescribedRequests(JsonNode spec) {
        this.spec = spec;
    }

    static DescribedRequests protectionRules() {
        try (InputStream in = DescribedRequests.class.getResourceAsStream(PROTECTION_RULES)) {
            return new DescribedRequests(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that {@code request} (sent under {@code basePath}) is one the description accepts, and returns its operation id. */
    String assertDescribes(RecordedRequest request, String basePath) {
        String path = request.getUrl().encodedPath().substring(basePath.length());
        String method = request.getMethod().toLowerCase(Locale.ROOT);
        Map.Entry<String, JsonNode> template = find(path);
        JsonNode operation = template.getValue().path(method);
        assertThat(operation.isMissingNode()).as("%s %s is not in GitHub's description", method, template.getKey()).isFalse();
        assertThat(request.getUrl().queryParameterNames()).as("query of %s %s", method, template.getKey()).isEmpty();
        JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
        if (!schema.isMissingNode()) {
            JsonNode body;
            try {
                body = JSON.readTree(request.getBody().utf8());
            } catch (IOException e) {
                throw new AssertionError("request body is not JSON", e);
            }
            Set<ValidationMessage> problems = validator(schema).validate(body);
            assertThat(problems).as("body %s of %s %s against GitHub's schema", body, method, template.getKey()).isEmpty();
        }
        return operation.path("operationId").asText();
    }

    /** The spec as the root document (so its $refs resolve), with the operation's schema, closed, as the root schema. */
    private JsonSchema validator(JsonNode schema) {
        ObjectNode root = spec.deepCopy();
        ObjectNode own = schema.deepCopy();
        close(root, own);
        own.fields().forEachRemaining(e -> root.set(e.getKey(), e.getValue()));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root);
    }

    /** Forbids unknown fields in an object schema and in each branch of its anyOf/oneOf, inlining referenced branches. */
    private static void close(ObjectNode root, ObjectNode schema) {
        for (String combinator : new String[] {"anyOf", "oneOf"}) {
            JsonNode branches = schema.path(combinator);
            for (int i = 0; i < branches.size(); i++) {
                JsonNode b = branches.get(i);
                ObjectNode branch = b.has("$ref") ? (ObjectNode) root.at(b.path("$ref").asText().substring(1)).deepCopy() : (ObjectNode) b.deepCopy();
                close(root, branch);
                ((com.fasterxml.jackson.databind.node.ArrayNode) branches).set(i, branch);
            }
        }
        if (schema.has("properties")) {
            schema.put("additionalProperties", false);
        }
    }

    private Map.Entry<String, JsonNode> find(String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (path.matches(e.getKey().replaceAll("\\{[^}]+}", "[^/]+"))) {
                return e;
            }
        }
        throw new AssertionError(path + " matches no path in GitHub's description");
    }
}
