package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.testkit.Values;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deployment pages over HTTP in a real Tomcat: access, escaping, masking, the JSON API and cancelling. */
class DeploymentPagesIT {
    static final String PAGES_TOKEN = "pages-token-0123456789";
    private TestRobot robot;
    private EmbeddedTomcat tomcat;

    @BeforeEach
    void start() throws Exception {
        robot = new TestRobot(2, 10);
        DeploymentPagesServlet pages = new DeploymentPagesServlet(robot.robot,
                PageAccess.credentials(Optional.of(PAGES_TOKEN), Optional.of("admin"), Optional.of("s3cret-pw")),
                Secrets.of(List.of(TestRobot.TOKEN, TestRobot.SECRET, PAGES_TOKEN)), "https://github.com");
        tomcat = new EmbeddedTomcat(Map.<String, HttpServlet>of("/deployments/*", pages));
    }

    @AfterEach
    void stop() throws Exception {
        robot.close();
        tomcat.close();
    }

    /** A deployment whose task is hostile markup, run to its end (or left running while {@code hold}). */
    private DeploymentRecord deploy(long id, boolean hold) {
        robot.holding = hold;
        Deployment base = Values.deployment(id, io.github.autodeploy.core.model.RepositoryName.of("Codertocat/Hello-World"),
                io.github.autodeploy.core.model.EnvironmentName.PRODUCTION);
        Deployment d = new Deployment(base.repository(), base.id(), base.sha(), GitRef.of("main"),
                base.environment(), "<script>x</script>", base.requester(), "{}", "token " + TestRobot.TOKEN);
        robot.github.givenDeployment(d);
        robot.robot.handle(DeliveryId.of("p-" + id), new WebhookEvent.DeploymentCreated(d));
        await().until(() -> hold ? robot.ran.get() > 0
                : robot.github.states(d.id()).contains(DeploymentState.SUCCESS));
        return robot.robot.find(d.id()).orElseThrow();
    }

    private String page(DeploymentRecord r) {
        return tomcat.base + "/deployments/" + r.deployment().id() + "/" + r.pageKey();
    }

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return Deliveries.send(b.build());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void listNeedsTheCredential() throws Exception {
        deploy(1, false);
        String list = tomcat.base + "/deployments";
        HttpResponse<String> none = get(list, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic"));
        assertThat(get(list, "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(list, basic("admin", "wrong")).statusCode()).isEqualTo(401);
        assertThat(get(list, "Basic !!!").statusCode()).isEqualTo(401);
        HttpResponse<String> bearer = get(list, "Bearer " + PAGES_TOKEN);
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(bearer.body()).contains("codertocat/hello-world #1").contains("state-success");
        assertThat(get(list, basic("admin", "s3cret-pw")).statusCode()).isEqualTo(200);
        assertThat(get(tomcat.base + "/deployments/api", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aDeploymentsPageIsReadByItsKeyAndAGuessIsNotFound() throws Exception {
        DeploymentRecord r = deploy(2, false);
        assertThat(get(page(r), null).statusCode()).isEqualTo(200);
        assertThat(get(tomcat.base + "/deployments/2/" + "A".repeat(24), null).statusCode()).isEqualTo(404);
        assertThat(get(tomcat.base + "/deployments/3/" + r.pageKey(), null).statusCode()).isEqualTo(404);
        assertThat(get(tomcat.base + "/deployments/x/y", null).statusCode()).isEqualTo(404);
        assertThat(r.pageKey().length()).isGreaterThanOrEqualTo(22);
    }

    @Test
    void everyValueIsEscapedAndEverySecretMasked() throws Exception {
        DeploymentRecord r = deploy(3, false);
        HttpResponse<String> html = get(page(r), null);
        assertThat(html.body()).doesNotContain("<script>x", "<script>alert").contains("&lt;script&gt;x&lt;/script&gt;")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(TestRobot.TOKEN).contains("***");
        HttpResponse<String> api = get(page(r) + "/api", null);
        assertThat(api.body()).doesNotContain(TestRobot.TOKEN);
        HttpResponse<String> text = get(page(r) + "/log", null);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(text.body()).contains("deploying with token ***").doesNotContain(TestRobot.TOKEN);
        HttpResponse<String> list = get(tomcat.base + "/deployments", "Bearer " + PAGES_TOKEN);
        assertThat(list.body()).doesNotContain(TestRobot.TOKEN, "<script>x");
    }

    @Test
    void pagesAreNotIndexedNotCachedAndUnderAStrictPolicy() throws Exception {
        DeploymentRecord r = deploy(4, false);
        for (HttpResponse<String> resp : List.of(get(page(r), null), get(page(r) + "/api", null), get(tomcat.base + "/deployments", null))) {
            assertThat(resp.headers().firstValue("X-Robots-Tag")).contains("noindex, nofollow");
            assertThat(resp.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(resp.headers().firstValue("Referrer-Policy")).contains("no-referrer");
            assertThat(resp.headers().firstValue("Content-Security-Policy"))
                    .hasValueSatisfying(c -> assertThat(c).contains("default-src 'none'").contains("script-src 'self'"));
        }
        assertThat(get(page(r), null).body()).doesNotContain("<script>(").doesNotContain("onclick").doesNotContain("style=");
    }

    @Test
    void aFinishedLogLongerThanOneStoreReadIsShownToItsEndOnThePageAndInPlainText() throws Exception {
        robot.linesPerRead = 7; // a database store answers at most so many lines a read
        robot.extraLines = 40;
        DeploymentRecord r = deploy(8, false);

        String text = get(page(r) + "/log", null).body();
        assertThat(text).contains("output line 0\n").contains("output line 39\ndone\n");
        String html = get(page(r), null).body();
        String last = text.strip().substring(text.strip().lastIndexOf('\n') + 1); // the outcome, after "done"
        assertThat(html).contains("output line 39\ndone\n").contains(last + "\n</pre>");
        JsonNode api = new ObjectMapper().readTree(get(page(r) + "/api", null).body());
        assertThat(api.path("log").path("lines")).as("the API still pages").hasSize(7);
    }

    @Test
    void jsonApiFollowsTheLogFromALine() throws Exception {
        DeploymentRecord r = deploy(5, false);
        JsonNode all = new ObjectMapper().readTree(get(page(r) + "/api", null).body());
        assertThat(all.path("state").asText()).isEqualTo("success");
        assertThat(all.path("done").asBoolean()).isTrue();
        assertThat(all.path("history")).hasSize(3);
        assertThat(all.path("steps").get(0).path("exitCode").asInt()).isZero();
        long next = all.path("log").path("nextLine").asLong();
        JsonNode rest = new ObjectMapper().readTree(get(page(r) + "/api?from=" + (next - 1), null).body());
        assertThat(rest.path("log").path("lines")).hasSize(1);
        JsonNode list = new ObjectMapper().readTree(get(tomcat.base + "/deployments/api?environment=production",
                "Bearer " + PAGES_TOKEN).body());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("url").asText()).endsWith(r.pageKey());
        assertThat(new ObjectMapper().readTree(get(tomcat.base + "/deployments/api?environment=staging",
                "Bearer " + PAGES_TOKEN).body())).isEmpty();
    }

    @Test
    void cancellingNeedsTheCredentialAConfirmationAndTheFormsToken() throws Exception {
        DeploymentRecord r = deploy(6, true);
        assertThat(get(page(r) + "/cancel", null).statusCode()).isEqualTo(401);
        HttpResponse<String> confirm = get(page(r) + "/cancel", "Bearer " + PAGES_TOKEN);
        assertThat(confirm.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(confirm.body());
        assertThat(m.find()).isTrue();
        String csrf = m.group(1);

        assertThat(post(page(r) + "/cancel", null, "csrf=" + csrf).statusCode()).isEqualTo(401);
        assertThat(post(page(r) + "/cancel", "Bearer " + PAGES_TOKEN, "csrf=forged").statusCode()).isEqualTo(403);
        assertThat(robot.robot.find(r.deployment().id()).orElseThrow().state()).isEqualTo(DeploymentState.IN_PROGRESS);

        HttpResponse<String> done = post(page(r) + "/cancel", "Bearer " + PAGES_TOKEN, "csrf=" + csrf);
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith(r.pageKey()));
        await().until(() -> robot.github.states(DeploymentId.of(6)).contains(DeploymentState.ERROR));
    }

    @Test
    void whileTheStoreIsAwayThePagesSaySoRatherThanShowingNoHistory() throws Exception {
        DeploymentRecord r = deploy(61, false);
        robot.storeDown = true;
        HttpResponse<String> list = get(tomcat.base + "/deployments", "Bearer " + PAGES_TOKEN);
        assertThat(list.statusCode()).isEqualTo(503);
        assertThat(list.headers().firstValue("Retry-After")).contains("10");
        assertThat(list.body()).contains("cannot reach its store").doesNotContain("No deployments yet").doesNotContain("hunter2");
        assertThat(get(tomcat.base + "/deployments/api", "Bearer " + PAGES_TOKEN).statusCode()).isEqualTo(503);
        assertThat(get(page(r), null).statusCode()).isEqualTo(503);
        robot.storeDown = false;
        assertThat(get(tomcat.base + "/deployments/api", "Bearer " + PAGES_TOKEN).body()).contains("\"state\":\"success\"");
    }

    private static HttpResponse<String> post(String url, String authorization, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return Deliveries.send(b.build());
    }
}
