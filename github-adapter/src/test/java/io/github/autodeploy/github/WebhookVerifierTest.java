package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.testing.SharedFixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookVerifierTest {
    private static JsonNode vectors;

    @BeforeAll
    static void readVectors() throws Exception {
        vectors = new ObjectMapper().readTree(SharedFixtures.text("webhook-signature/github-webhook-signature-vectors.json"));
    }

    private static JsonNode vector(String id) {
        for (JsonNode v : vectors.path("vectors")) {
            if (v.path("id").asText().equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException(id);
    }

    private static byte[] body(JsonNode v) {
        return v.path("body_utf8").asText().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void acceptsGitHubsPublishedVector() {
        JsonNode v = vector("github-docs");
        WebhookVerifier verifier = WebhookVerifier.create(List.of(v.path("secret").asText()));
        assertThat(verifier.verify(body(v), Optional.of(v.path("x_hub_signature_256").asText()), Optional.empty())).isTrue();
    }

    @Test
    void rejectsTheSameBodySignedWithAnotherSecret() {
        JsonNode wrong = vector("wrong-secret-negative-computed");
        WebhookVerifier verifier = WebhookVerifier.create(List.of(vector("github-docs").path("secret").asText()));
        assertThat(verifier.verify(body(wrong), Optional.of(wrong.path("x_hub_signature_256").asText()), Optional.empty())).isFalse();
    }

    @Test
    void rejectsATamperedBody() {
        JsonNode v = vector("github-docs");
        WebhookVerifier verifier = WebhookVerifier.create(List.of(v.path("secret").asText()));
        assertThat(verifier.verify("Hello, World?".getBytes(StandardCharsets.UTF_8),
                Optional.of(v.path("x_hub_signature_256").asText()), Optional.empty())).isFalse();
    }

    @Test
    void formEncodedDeliveryIsSignedOverTheRawUrlencodedBytes() {
        JsonNode v = vector("form-encoded-computed");
        WebhookVerifier verifier = WebhookVerifier.create(List.of(v.path("secret").asText()));
        assertThat(verifier.verify(body(v), Optional.of(v.path("x_hub_signature_256").asText()), Optional.empty())).isTrue();
        assertThat(verifier.verify(v.path("payload_json").asText().getBytes(StandardCharsets.UTF_8),
                Optional.of(v.path("x_hub_signature_256").asText()), Optional.empty())).isFalse();
    }

    @Test
    void anyOfSeveralSecretsVerifiesDuringARotation() {
        JsonNode v = vector("github-docs");
        WebhookVerifier verifier = WebhookVerifier.create(List.of("the new secret", v.path("secret").asText()));
        assertThat(verifier.verify(body(v), Optional.of(v.path("x_hub_signature_256").asText()), Optional.empty())).isTrue();
    }

    @Test
    void legacySha1CountsOnlyWhenEnabled() {
        JsonNode v = vector("github-docs-sha1-computed");
        List<String> secrets = List.of(v.path("secret").asText());
        Optional<String> sha1 = Optional.of(v.path("x_hub_signature").asText());
        assertThat(WebhookVerifier.create(secrets).verify(body(v), Optional.empty(), sha1)).isFalse();
        assertThat(WebhookVerifier.withLegacySha1(secrets).verify(body(v), Optional.empty(), sha1)).isTrue();
        JsonNode form = vector("form-encoded-computed");
        assertThat(WebhookVerifier.withLegacySha1(secrets).verify(body(form), Optional.empty(),
                Optional.of(form.path("x_hub_signature").asText()))).isTrue();
    }

    @Test
    void aSha256HeaderIsNeverOverruledByASha1One() {
        JsonNode v = vector("github-docs-sha1-computed");
        List<String> secrets = List.of(v.path("secret").asText());
        assertThat(WebhookVerifier.withLegacySha1(secrets).verify(body(v), Optional.of("sha256=" + "0".repeat(64)),
                Optional.of(v.path("x_hub_signature").asText()))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256=", "sha256", "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1z",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17aa",
            "SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            "sha256=\u0000\u0000"})
    void malformedSignaturesAreFailuresNotExceptions(String header) {
        WebhookVerifier verifier = WebhookVerifier.create(List.of("It's a Secret to Everybody"));
        assertThat(verifier.verify("Hello, World!".getBytes(StandardCharsets.UTF_8), Optional.of(header), Optional.empty())).isFalse();
    }

    @Test
    void missingSignatureIsAFailure() {
        WebhookVerifier verifier = WebhookVerifier.withLegacySha1(List.of("It's a Secret to Everybody"));
        assertThat(verifier.verify("Hello, World!".getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty())).isFalse();
    }
}
