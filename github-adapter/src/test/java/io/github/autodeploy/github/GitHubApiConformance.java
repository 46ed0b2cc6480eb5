package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.github.autodeploy.core.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import mockwebserver3.RecordedRequest;

/**
 * GitHub's own OpenAPI description (from {@code ../shared/fixtures}) of the operations the client calls; checks a recorded request
 * against it: the path and method exist, query parameters are declared, and the JSON body passes
 * the operation's schema (with unknown fields forbidden) under a JSON Schema validator.
 */
final class GitHubApiConformance {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode spec;

    private GitHubApiConformance() {
    }

    /** Read on first use (not in a static initializer), so an absent folder skips the calling test instead of breaking the class. */
    static synchronized JsonNode spec() {
        if (spec == null) {
            try {
                spec = JSON.readTree(SharedFixtures.text("github-rest-openapi/deployments-subset.api.github.com.json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return spec;
    }

    /** Asserts that {@code request} (sent under {@code basePath}) is one GitHub describes. */
    static void assertDescribes(RecordedRequest request, String basePath) {
        String path = request.getUrl().encodedPath().substring(basePath.length());
        String method = request.getMethod().toLowerCase(Locale.ROOT);
        Map.Entry<String, JsonNode> template = find(path);
        JsonNode operation = template.getValue().path(method);
        assertThat(operation.isMissingNode()).as("%s %s is not in GitHub's description", method, template.getKey()).isFalse();
        for (String name : request.getUrl().queryParameterNames()) {
            boolean declared = false;
            for (JsonNode p : operation.path("parameters")) {
                JsonNode param = p.has("$ref") ? spec().at(p.path("$ref").asText().substring(1)) : p;
                declared |= param.path("in").asText().equals("query") && param.path("name").asText().equals(name);
            }
            assertThat(declared).as("query parameter %s of %s %s", name, method, template.getKey()).isTrue();
        }
        JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            assertThat(request.getBodySize()).as("%s %s takes no body", method, template.getKey()).isLessThanOrEqualTo(2);
            return;
        }
        Set<ValidationMessage> problems = validator(schema).validate(body(request));
        assertThat(problems).as("body of %s %s against GitHub's schema", method, template.getKey()).isEmpty();
    }

    private static JsonNode body(RecordedRequest request) {
        try {
            return JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            throw new AssertionError("request body is not JSON", e);
        }
    }

    /** The spec as the root document (so its $refs resolve), with the operation's schema as the root schema. */
    private static JsonSchema validator(JsonNode schema) {
        ObjectNode root = spec().deepCopy();
        ObjectNode own = schema.deepCopy();
        own.put("additionalProperties", false);
        own.fields().forEachRemaining(e -> root.set(e.getKey(), e.getValue()));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root);
    }

    private static Map.Entry<String, JsonNode> find(String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = spec().path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (path.matches(e.getKey().replaceAll("\\{[^}]+}", "[^/]+"))) {
                return e;
            }
        }
        throw new AssertionError(path + " matches no path in GitHub's description");
    }
}
