package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every row of the webhook endpoint's status table, over HTTP, against a real Tomcat. */
class WebhookServletIT {
    private static final long LIMIT = 64 * 1024;
    private TestRobot robot;
    private EmbeddedTomcat tomcat;
    private String url;

    @BeforeEach
    void start() throws Exception {
        robot = new TestRobot(1, 1);
        tomcat = new EmbeddedTomcat(Map.of("/hooks/github", robot.servlet(LIMIT)));
        url = tomcat.base + "/hooks/github";
    }

    @AfterEach
    void stop() throws Exception {
        robot.close();
        tomcat.close();
    }

    private static byte[] deployment(long id) {
        return Deliveries.sample("deployment", Map.of("id", Long.toString(id)));
    }

    private static void assertAnswer(HttpResponse<String> r, int status, String result) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.body()).startsWith("{\"result\":\"" + result + "\",\"reason\":\"").doesNotContain("Exception", "\tat ");
    }

    @Test
    void signedDeploymentIsAcceptedAndRuns() throws Exception {
        github(145988746);
        assertAnswer(Deliveries.signed(url, "deployment", deployment(145988746)), 202, "accepted");
        await().untilAsserted(() -> assertThat(robot.github.states(DeploymentId.of(145988746)))
                .containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS, DeploymentState.SUCCESS));
    }

    private void github(long id) {
        var d = robot.parser.parse("deployment", "application/json", deployment(id));
        robot.github.givenDeployment(((io.github.autodeploy.core.event.WebhookEvent.DeploymentCreated) d).deployment());
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        assertAnswer(Deliveries.signed(url, "ping", Deliveries.sample("ping", Map.of())), 200, "pong");
    }

    @Test
    void ignoredEventAndUnconfiguredRepositoryAre200WithTheReason() throws Exception {
        HttpResponse<String> status = Deliveries.signed(url, "status", Deliveries.sample("status", Map.of("sha", "6113728f27ae82c7b1a177c8d03f9e96e0adf246")));
        assertAnswer(status, 200, "ignored");
        assertThat(status.body()).contains("no deployment waits for CI of 6113728");
        HttpResponse<String> r = Deliveries.signed(url, "push", Deliveries.sample("push", Map.of("repo", "someone/else")));
        assertAnswer(r, 200, "ignored");
        assertThat(r.body()).contains("repository someone/else is not configured");
    }

    @Test
    void redeliveryOfTheSameDeliveryIsADuplicate() throws Exception {
        github(7);
        byte[] body = deployment(7);
        String delivery = UUID.randomUUID().toString();
        assertAnswer(Deliveries.post(url, "deployment", "application/json", body, Deliveries.sign(TestRobot.SECRET, body), delivery), 202, "accepted");
        assertAnswer(Deliveries.post(url, "deployment", "application/json", body, Deliveries.sign(TestRobot.SECRET, body), delivery), 200, "duplicate");
        await().until(() -> robot.github.states(DeploymentId.of(7)).contains(DeploymentState.SUCCESS));
        assertThat(robot.ran.get()).isEqualTo(1);
    }

    @Test
    void missingOrWrongSignatureIs401AndStartsNothing() throws Exception {
        byte[] body = deployment(8);
        assertAnswer(Deliveries.post(url, "deployment", "application/json", body, null, "d-1"), 401, "bad_signature");
        assertAnswer(Deliveries.post(url, "deployment", "application/json", body, Deliveries.sign("wrong secret", body), "d-2"), 401, "bad_signature");
        assertAnswer(Deliveries.post(url, "deployment", "application/json", body, "sha256=zz", "d-3"), 401, "bad_signature");
        assertThat(robot.ran.get()).isZero();
    }

    @Test
    void otherMethodsAre405() throws Exception {
        for (String method : new String[] {"GET", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> r = Deliveries.send(HttpRequest.newBuilder(URI.create(url))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
            assertAnswer(r, 405, "method_not_allowed");
            assertThat(r.headers().firstValue("Allow")).contains("POST");
        }
    }

    @Test
    void bodyOneByteOverTheLimitIs413() throws Exception {
        byte[] over = new byte[(int) LIMIT + 1];
        java.util.Arrays.fill(over, (byte) ' ');
        assertAnswer(Deliveries.signed(url, "ping", over), 413, "too_large");
        byte[] atLimit = new byte[(int) LIMIT];
        java.util.Arrays.fill(atLimit, (byte) ' ');
        byte[] ping = "{\"zen\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(ping, 0, atLimit, 0, ping.length);
        assertAnswer(Deliveries.signed(url, "ping", atLimit), 200, "pong");
    }

    @Test
    void chunkedBodyWithoutALengthIsCutOffPastTheLimit() throws Exception {
        byte[] over = new byte[(int) LIMIT + 1];
        java.util.Arrays.fill(over, (byte) ' ');
        assertAnswer(chunked(over), 413, "too_large");
        byte[] atLimit = new byte[(int) LIMIT];
        java.util.Arrays.fill(atLimit, (byte) ' ');
        byte[] ping = "{\"zen\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(ping, 0, atLimit, 0, ping.length);
        assertAnswer(chunked(atLimit), 200, "pong");
    }

    /** A signed ping whose body is sent chunked, so the servlet learns its size only by reading it. */
    private HttpResponse<String> chunked(byte[] body) throws Exception {
        return Deliveries.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .header("X-GitHub-Event", "ping").header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", Deliveries.sign(TestRobot.SECRET, body))
                .header("X-GitHub-Delivery", UUID.randomUUID().toString()).build());
    }

    @Test
    void unsupportedContentTypeIs415() throws Exception {
        byte[] body = Deliveries.sample("ping", Map.of());
        assertAnswer(Deliveries.post(url, "ping", "text/plain", body, Deliveries.sign(TestRobot.SECRET, body), "d-4"), 415,
                "unsupported_media_type");
    }

    @Test
    void malformedJsonOrMissingEventIs400() throws Exception {
        byte[] broken = "{\"zen\":".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = Deliveries.signed(url, "ping", broken);
        assertAnswer(r, 400, "bad_request");
        assertThat(r.body()).contains("not valid JSON");
        byte[] body = Deliveries.sample("ping", Map.of());
        assertAnswer(Deliveries.post(url, null, "application/json", body, Deliveries.sign(TestRobot.SECRET, body), "d-5"), 400,
                "bad_request");
        assertAnswer(Deliveries.post(url, "ping", "application/json", body, Deliveries.sign(TestRobot.SECRET, body), null), 400,
                "bad_request");
    }

    @Test
    void formEncodedDeliveryIsRead() throws Exception {
        String json = new String(Deliveries.sample("ping", Map.of()), StandardCharsets.UTF_8);
        byte[] form = ("payload=" + URLEncoder.encode(json, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        assertAnswer(Deliveries.post(url, "ping", "application/x-www-form-urlencoded", form,
                Deliveries.sign(TestRobot.SECRET, form), "d-6"), 200, "pong");
    }

    @Test
    void fullQueueIs503WithRetryAfter() throws Exception {
        robot.holding = true;
        github(21);
        github(22);
        github(23);
        assertAnswer(Deliveries.signed(url, "deployment", deployment(21)), 202, "accepted");
        await().until(() -> robot.ran.get() == 1);
        assertAnswer(Deliveries.signed(url, "deployment", deployment(22)), 202, "accepted");
        HttpResponse<String> full = Deliveries.signed(url, "deployment", deployment(23));
        assertAnswer(full, 503, "overloaded");
        assertThat(full.headers().firstValue("Retry-After")).contains("30");
    }

    @Test
    void aDeliveryTheStoreCannotKeepIs503WithRetryAfterAndTakenWhenRedelivered() throws Exception {
        github(31);
        byte[] body = deployment(31);
        robot.storeDown = true;
        HttpResponse<String> refused = Deliveries.post(url, "deployment", "application/json", body,
                Deliveries.sign(TestRobot.SECRET, body), "d-store-31");
        assertAnswer(refused, 503, "unavailable");
        assertThat(refused.headers().firstValue("Retry-After")).contains("10");
        assertThat(refused.body()).doesNotContain("hunter2").doesNotContain("postgresql").doesNotContain("Exception");
        robot.storeDown = false;
        assertAnswer(Deliveries.post(url, "deployment", "application/json", body, Deliveries.sign(TestRobot.SECRET, body),
                "d-store-31"), 202, "accepted");
        await().until(() -> robot.github.states(DeploymentId.of(31)).contains(DeploymentState.SUCCESS));
    }
}
