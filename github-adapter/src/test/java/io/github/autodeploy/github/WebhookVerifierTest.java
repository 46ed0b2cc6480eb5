package io.github.autodeploy.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.github.sample.SampleWebhooks;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signature checks on the project's own vectors: GitHub's published one (secret and body from its
 * documentation) and HMACs computed with Python's {@code hmac} for the rest.
 * {@link WebhookVerifierConformanceTest} replays the third-party vector file.
 */
class WebhookVerifierTest {
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    /** Published by GitHub for {@link #SECRET} and {@link #HELLO}. */
    private static final String HELLO_SHA256 = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static final String HELLO_SHA1 = "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59";
    /** {@link #HELLO} signed with the secret followed by "!". */
    private static final String HELLO_WRONG_SECRET = "sha256=0106b54e6704331606eccb4dd2014bfe2ace32cf92c1341e9ca7d00c244770ea";
    private static final String FORM_JSON = "{\"zen\":\"Design for failure.\",\"hook_id\":1}";
    private static final byte[] FORM = "payload=%7B%22zen%22%3A%22Design+for+failure.%22%2C%22hook_id%22%3A1%7D"
            .getBytes(StandardCharsets.US_ASCII);
    private static final String FORM_SHA256 = "sha256=832d83ba90c64de540bbcca87ee17f4394f10cdbc0cc16222cd69c3d9511b866";
    private static final String FORM_SHA1 = "sha1=06801560927017e27d21c7b1a6cc6138dea7a56d";

    @Test
    void acceptsGitHubsPublishedVector() {
        assertThat(WebhookVerifier.create(List.of(SECRET)).verify(HELLO, Optional.of(HELLO_SHA256), Optional.empty())).isTrue();
    }

    @Test
    void deliveriesVerifiedAtOnceOnManyThreadsAreEachJudgedOnTheirOwnBody() throws Exception {
        WebhookVerifier verifier = WebhookVerifier.create(List.of("old-secret", "s3cret"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] body = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                // Every third is signed for another body: refused; the rest with the second secret: accepted.
                byte[] signed = i % 3 == 0 ? ("{\"n\":" + (i + 1) + "}").getBytes(StandardCharsets.UTF_8) : body;
                String signature = SampleWebhooks.signature("s3cret", signed);
                boolean expected = i % 3 != 0;
                all.add(pool.submit(() -> verifier.verify(body, Optional.of(signature), Optional.empty()) == expected));
            }
            for (java.util.concurrent.Future<Boolean> f : all) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void acceptsWhatTheSampleGeneratorSigns() {
        byte[] body = SampleWebhooks.body("deployment", java.util.Map.of());
        assertThat(WebhookVerifier.create(List.of("s3cret")).verify(body, Optional.of(SampleWebhooks.signature("s3cret", body)),
                Optional.empty())).isTrue();
        assertThat(SampleWebhooks.signature(SECRET, HELLO)).isEqualTo(HELLO_SHA256);
    }

    @Test
    void rejectsTheSameBodySignedWithAnotherSecret() {
        assertThat(WebhookVerifier.create(List.of(SECRET)).verify(HELLO, Optional.of(HELLO_WRONG_SECRET), Optional.empty())).isFalse();
    }

    @Test
    void rejectsATamperedBody() {
        assertThat(WebhookVerifier.create(List.of(SECRET)).verify("Hello, World?".getBytes(StandardCharsets.UTF_8),
                Optional.of(HELLO_SHA256), Optional.empty())).isFalse();
    }

    @Test
    void formEncodedDeliveryIsSignedOverTheRawUrlencodedBytes() {
        WebhookVerifier verifier = WebhookVerifier.create(List.of(SECRET));
        assertThat(verifier.verify(FORM, Optional.of(FORM_SHA256), Optional.empty())).isTrue();
        assertThat(verifier.verify(FORM_JSON.getBytes(StandardCharsets.UTF_8), Optional.of(FORM_SHA256), Optional.empty())).isFalse();
    }

    @Test
    void anyOfSeveralSecretsVerifiesDuringARotation() {
        WebhookVerifier verifier = WebhookVerifier.create(List.of("the new secret", SECRET));
        assertThat(verifier.verify(HELLO, Optional.of(HELLO_SHA256), Optional.empty())).isTrue();
    }

    @Test
    void legacySha1CountsOnlyWhenEnabled() {
        List<String> secrets = List.of(SECRET);
        assertThat(WebhookVerifier.create(secrets).verify(HELLO, Optional.empty(), Optional.of(HELLO_SHA1))).isFalse();
        assertThat(WebhookVerifier.withLegacySha1(secrets).verify(HELLO, Optional.empty(), Optional.of(HELLO_SHA1))).isTrue();
        assertThat(WebhookVerifier.withLegacySha1(secrets).verify(FORM, Optional.empty(), Optional.of(FORM_SHA1))).isTrue();
    }

    @Test
    void aSha256HeaderIsNeverOverruledByASha1One() {
        assertThat(WebhookVerifier.withLegacySha1(List.of(SECRET)).verify(HELLO, Optional.of("sha256=" + "0".repeat(64)),
                Optional.of(HELLO_SHA1))).isFalse();
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
