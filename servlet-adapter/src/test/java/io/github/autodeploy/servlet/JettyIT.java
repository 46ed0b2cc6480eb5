package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.store.DeploymentRecord;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook servlet and the deployment pages in an embedded Jetty 12 (ee10), the second servlet
 * container the library is tested on: a signed delivery deploys, the pages render, and the parts that
 * lean on the container (async body reading, form posts, headers) behave as they do on Tomcat.
 */
class JettyIT {
    private static final long LIMIT = 64 * 1024;
    private static final String PAGES_TOKEN = "pages-token-jetty-0123456789";
    private TestRobot robot;
    private EmbeddedJetty jetty;
    private String hook;

    @BeforeEach
    void start() throws Exception {
        robot = new TestRobot(2, 10);
        DeploymentPagesServlet pages = new DeploymentPagesServlet(robot.robot,
                PageAccess.credentials(Optional.of(PAGES_TOKEN), Optional.empty(), Optional.empty()),
                Secrets.of(List.of(TestRobot.TOKEN, TestRobot.SECRET, PAGES_TOKEN)), "https://github.com");
        jetty = new EmbeddedJetty(Map.<String, HttpServlet>of("/hooks/github", robot.servlet(LIMIT), "/deployments/*", pages));
        hook = jetty.base + "/hooks/github";
    }

    @AfterEach
    void stop() throws Exception {
        robot.close();
        jetty.close();
    }

    private DeploymentRecord deliver(long id) throws Exception {
        byte[] body = Deliveries.sample("deployment", Map.of("id", Long.toString(id)));
        WebhookEvent event = robot.parser.parse("deployment", "application/json", body);
        robot.github.givenDeployment(((WebhookEvent.DeploymentCreated) event).deployment());
        HttpResponse<String> r = Deliveries.signed(hook, "deployment", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.body()).startsWith("{\"result\":\"accepted\"");
        return robot.robot.find(DeploymentId.of(id)).orElseThrow();
    }

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return Deliveries.send(b.build());
    }

    private static HttpResponse<String> post(String url, String authorization, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return Deliveries.send(b.build());
    }

    @Test
    void aSignedDeliveryDeploysAndItsPagesRender() throws Exception {
        DeploymentRecord r = deliver(145988746);
        await().untilAsserted(() -> assertThat(robot.github.states(DeploymentId.of(145988746)))
                .containsExactly(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS, DeploymentState.SUCCESS));
        String page = jetty.base + "/deployments/145988746/" + r.pageKey();

        HttpResponse<String> html = get(page, null);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(c -> assertThat(c).contains("default-src 'none'"));
        assertThat(html.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("***")
                .doesNotContain(TestRobot.TOKEN, "<script>alert");

        HttpResponse<String> log = get(page + "/log", null);
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.body()).contains("deploying with token ***", "done").doesNotContain(TestRobot.TOKEN);

        assertThat(get(page + "/api", null).body()).contains("\"state\":\"success\"");

        assertThat(get(jetty.base + "/deployments", null).statusCode()).isEqualTo(401);
        HttpResponse<String> list = get(jetty.base + "/deployments", "Bearer " + PAGES_TOKEN);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("codertocat/hello-world #145988746").contains("state-success");
        assertThat(get(jetty.base + "/deployments/145988746/" + "A".repeat(24), null).statusCode()).isEqualTo(404);
    }

    @Test
    void aBadSignatureIs401AndABodyOverTheLimitIs413() throws Exception {
        byte[] body = Deliveries.sample("deployment", Map.of("id", "9"));
        HttpResponse<String> unsigned = Deliveries.post(hook, "deployment", "application/json", body,
                Deliveries.sign("wrong secret", body), "d-1");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).startsWith("{\"result\":\"bad_signature\"");
        byte[] over = new byte[(int) LIMIT + 1];
        Arrays.fill(over, (byte) ' ');
        HttpResponse<String> big = Deliveries.signed(hook, "ping", over);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).startsWith("{\"result\":\"too_large\"");
        assertThat(robot.ran.get()).isZero();
    }

    @Test
    void cancellingThroughTheFormWorksWithTheFormsToken() throws Exception {
        robot.holding = true;
        DeploymentRecord r = deliver(6);
        await().until(() -> robot.ran.get() > 0);
        String page = jetty.base + "/deployments/6/" + r.pageKey();
        HttpResponse<String> confirm = get(page + "/cancel", "Bearer " + PAGES_TOKEN);
        assertThat(confirm.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(confirm.body());
        assertThat(m.find()).isTrue();
        assertThat(post(page + "/cancel", "Bearer " + PAGES_TOKEN, "csrf=forged").statusCode()).isEqualTo(403);

        HttpResponse<String> done = post(page + "/cancel", "Bearer " + PAGES_TOKEN, "csrf=" + m.group(1));
        assertThat(done.statusCode()).isEqualTo(303);
        await().until(() -> robot.github.states(DeploymentId.of(6)).contains(DeploymentState.ERROR));
    }
}
