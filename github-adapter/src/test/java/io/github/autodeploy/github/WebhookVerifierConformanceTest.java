package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.testing.SharedFixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verifier against the signature vectors in {@code ../shared/fixtures}: GitHub's published one and the computed ones. */
class WebhookVerifierConformanceTest {
    @Test
    void everyVectorVerifiesExactlyWhenItShould() throws Exception {
        JsonNode vectors = new ObjectMapper().readTree(SharedFixtures.text("webhook-signature/github-webhook-signature-vectors.json"));
        String secret = "It's a Secret to Everybody";
        int checked = 0;
        for (JsonNode v : vectors.path("vectors")) {
            byte[] body = v.path("body_utf8").asText().getBytes(StandardCharsets.UTF_8);
            boolean own = v.path("secret").asText().equals(secret);
            WebhookVerifier verifier = WebhookVerifier.withLegacySha1(List.of(secret));
            if (v.has("x_hub_signature_256")) {
                assertThat(verifier.verify(body, Optional.of(v.path("x_hub_signature_256").asText()), Optional.empty()))
                        .as(v.path("id").asText()).isEqualTo(own);
                checked++;
            }
            if (v.has("x_hub_signature")) {
                assertThat(verifier.verify(body, Optional.empty(), Optional.of(v.path("x_hub_signature").asText())))
                        .as(v.path("id").asText()).isEqualTo(own);
                checked++;
            }
            if (v.has("payload_json")) {
                assertThat(verifier.verify(v.path("payload_json").asText().getBytes(StandardCharsets.UTF_8),
                        Optional.of(v.path("x_hub_signature_256").asText()), Optional.empty())).isFalse();
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
    }
}
