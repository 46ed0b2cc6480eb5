package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Credential;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.engine.Receipt;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.ProtectionRuleApi.Decision;
import io.github.autodeploy.core.port.ProtectionRuleTarget;
import io.github.autodeploy.core.store.GatedRun;
import io.github.autodeploy.testkit.RecordingProtectionRules;
import io.github.autodeploy.testkit.Values;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GitHub Actions deployments the robot gates, on the pages and in the JSON API, over HTTP in a real
 * Tomcat: who sees them and who may decide, the forms' tokens, approvals and rejections (self-approval
 * refused, a decided run 409, an unknown one 404), hostile values escaped, and never a 500.
 */
class ActionsPagesIT {
    private static final String VIEWER = "Bearer viewer-token-0123456789";
    private static final String DEPLOYER = "Bearer deployer-token-0123456789";
    private static final String OTHER = "Bearer other-token-0123456789";
    private static final String ADMIN = "Bearer admin-token-0123456789";
    /** A deployer whose name is the GitHub login that starts the runs. */
    private static final String CREATOR = "Bearer creator-token-0123456789";
    private static final String PAGE = "/deployments/actions";
    private static final String API = "/deployments/api/actions";
    private static final RepositoryName REPO = RepositoryName.of("Codertocat/Hello-World");
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestRobot robot;
    private EmbeddedTomcat tomcat;
    private int deliveries;

    @BeforeEach
    void start() throws Exception {
        robot = TestRobot.gating();
        PageAccess access = PageAccess.users(List.of(
                new Credential(new Actor("vera", Role.VIEWER), "viewer-token-0123456789"),
                new Credential(new Actor("dan", Role.DEPLOYER), "deployer-token-0123456789"),
                new Credential(new Actor("olga", Role.DEPLOYER), "other-token-0123456789"),
                new Credential(new Actor("ada", Role.ADMIN), "admin-token-0123456789"),
                new Credential(new Actor("octocat", Role.DEPLOYER), "creator-token-0123456789")));
        DeploymentPagesServlet pages = new DeploymentPagesServlet(robot.robot, access,
                Secrets.of(List.of(TestRobot.TOKEN, TestRobot.SECRET)), "https://github.com");
        tomcat = new EmbeddedTomcat(Map.<String, HttpServlet>of("/deployments/*", pages));
    }

    @AfterEach
    void stop() throws Exception {
        robot.close();
        tomcat.close();
    }

    /** GitHub asks about run {@code runId} to {@code environment}; returns its key once the gate waits for approval. */
    private String requested(long runId, String environment) {
        WebhookEvent.ProtectionRuleRequested e = new WebhookEvent.ProtectionRuleRequested(REPO, EnvironmentName.of(environment),
                "push", "https://api.github.com/repos/codertocat/hello-world/actions/runs/" + runId + "/deployment_protection_rule",
                runId, DeploymentId.of(9000 + runId), Values.SHA, GitRef.of("main"), Values.OCTOCAT, List.of(),
                Values.OCTOCAT, OptionalLong.of(77));
        Receipt r = robot.robot.handle(DeliveryId.of("gate-" + ++deliveries), e);
        assertThat(r.kind()).as(r.reason()).isEqualTo(Receipt.Kind.ACCEPTED);
        String key = GatedRun.key(target(runId, environment));
        await().until(() -> robot.robot.gatedRun(key).map(g -> g.reason().equals("0 of 1 approvals")).orElse(false));
        return key;
    }

    private static ProtectionRuleTarget target(long runId, String environment) {
        return new ProtectionRuleTarget(REPO, runId, EnvironmentName.of(environment), OptionalLong.of(77));
    }

    private List<RecordingProtectionRules.Received> reviews(long runId, String environment) {
        return robot.protectionRules.reviews(target(runId, environment));
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return Deliveries.request(tomcat.base + path, "GET", authorization, null, "");
    }

    private HttpResponse<String> form(String path, String authorization, String form) throws Exception {
        return Deliveries.request(tomcat.base + path, "POST", authorization, "application/x-www-form-urlencoded", form);
    }

    private HttpResponse<String> api(String path, String authorization, String json) throws Exception {
        return Deliveries.request(tomcat.base + path, "POST", authorization, "application/json", json);
    }

    /** The CSRF token of the {@code action} form (approve, reject) of run {@code runId} on {@code html}. */
    private static String csrf(String html, String action, long runId) {
        Matcher m = Pattern.compile("action=\"[^\"]*/actions/" + action + "\"><input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\">"
                + "<input type=\"hidden\" name=\"repository\" value=\"[^\"]*\"><input type=\"hidden\" name=\"run_id\" value=\""
                + runId + "\">").matcher(html);
        assertThat(m.find()).as("a %s form of run %s in %s", action, runId, html).isTrue();
        return m.group(1);
    }

    private static String fields(long runId, String environment) {
        return "&repository=codertocat%2Fhello-world&run_id=" + runId + "&environment=" + environment;
    }

    private static String body(long runId, String environment, String more) {
        return "{\"repository\": \"Codertocat/Hello-World\", \"run_id\": " + runId + ", \"environment\": \"" + environment + "\"" + more
                + "}";
    }

    private JsonNode listed(long runId) throws Exception {
        HttpResponse<String> r = get(API, VIEWER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode n : JSON.readTree(r.body())) {
            if (n.path("run_id").asLong() == runId) {
                return n;
            }
        }
        throw new AssertionError("run " + runId + " is not listed: " + r.body());
    }

    @Test
    void aViewerSeesGatedRunsWithTheirFactsAndNoButtonsAndTheEnvironmentsPageCountsThem() throws Exception {
        requested(4242, "production");
        assertThat(get(PAGE, null).statusCode()).isEqualTo(401);
        assertThat(get(API, null).statusCode()).isEqualTo(401);
        HttpResponse<String> page = get(PAGE, VIEWER);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(c -> assertThat(c).contains("default-src 'none'"));
        assertThat(page.body()).contains("codertocat/hello-world · production")
                .contains("href=\"https://github.com/codertocat/hello-world/actions/runs/4242\"")
                .contains("href=\"https://github.com/codertocat/hello-world/commit/" + Values.SHA.value() + "\"")
                .contains(Values.SHA.abbreviated()).contains("<code>main</code>").contains("octocat").contains("push")
                .contains("data-state=\"waiting\"").contains("0 of 1 approvals").contains("1 needed, by a deployer")
                .doesNotContain("name=\"csrf\"").doesNotContain("approve-button");

        JsonNode run = listed(4242);
        assertThat(run.path("repository").asText()).isEqualTo("codertocat/hello-world");
        assertThat(run.path("environment").asText()).isEqualTo("production");
        assertThat(run.path("run_url").asText()).isEqualTo("https://github.com/codertocat/hello-world/actions/runs/4242");
        assertThat(run.path("sha").asText()).isEqualTo(Values.SHA.value());
        assertThat(run.path("ref").asText()).isEqualTo("main");
        assertThat(run.path("creator").asText()).isEqualTo("octocat");
        assertThat(run.path("state").asText()).isEqualTo("waiting");
        assertThat(run.path("reason").asText()).isEqualTo("0 of 1 approvals");
        assertThat(run.path("approvals")).isEmpty();
        assertThat(run.path("approvals_required").asInt()).isEqualTo(1);
        assertThat(run.path("decided_at").isNull()).isTrue();
        assertThat(JSON.readTree(get(API + "?environment=staging", VIEWER).body())).isEmpty();

        String environments = get("/deployments/environments", VIEWER).body();
        assertThat(environments).contains("id=\"nav-actions\"").contains("Actions runs waiting")
                .contains("href=\"/deployments/actions?repository=codertocat%2Fhello-world&amp;environment=production\">1</a>")
                .contains("href=\"/deployments/actions?repository=codertocat%2Fhello-world&amp;environment=staging\">0</a>")
                .doesNotContain("environment=qa\"");
        assertThat(get("/deployments", VIEWER).body()).contains("href=\"/deployments/actions\"");
        assertThat(get(PAGE + "?repository=codertocat/hello-world&environment=staging", VIEWER).body())
                .contains("No Actions deployment is gated here yet.");
    }

    @Test
    void aDeployerApprovesByFormTheRunIsApprovedOnceAndASecondDecisionIsAConflict() throws Exception {
        requested(4242, "production");
        String page = get(PAGE, DEPLOYER).body();
        assertThat(page).contains("Approve").contains("Reject");
        HttpResponse<String> approved = form(PAGE + "/approve", DEPLOYER, "csrf=" + csrf(page, "approve", 4242) + fields(4242, "production"));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(303);
        assertThat(approved.headers().firstValue("Location")).contains("/deployments/actions?done=approved&run=4242");
        await().until(() -> !reviews(4242, "production").isEmpty());
        assertThat(reviews(4242, "production")).singleElement().satisfies(r -> {
            assertThat(r.decision()).contains(Decision.APPROVED);
            assertThat(r.comment()).contains("approved by dan");
        });
        HttpResponse<String> after = get(PAGE + "?done=approved&run=4242", VIEWER);
        assertThat(after.body()).contains("You approved run 4242.").contains("data-state=\"approved\"").contains("dan, ");

        HttpResponse<String> again = form(PAGE + "/reject", DEPLOYER, "csrf=" + csrf(page, "reject", 4242) + fields(4242, "production")
                + "&reason=too+late");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("was approved already");
        assertThat(get(PAGE, DEPLOYER).body()).doesNotContain("name=\"csrf\"");
        assertThat(reviews(4242, "production")).hasSize(1);
    }

    @Test
    void formsNeedTheRolesOfTheRuleAValidTokenFromThisSiteAndAKnownRun() throws Exception {
        requested(4242, "production");
        requested(4343, "staging");
        String dans = get(PAGE, DEPLOYER).body();
        String token = csrf(dans, "approve", 4242);
        assertThat(form(PAGE + "/approve", null, "csrf=" + token + fields(4242, "production")).statusCode()).isEqualTo(401);
        HttpResponse<String> viewer = form(PAGE + "/approve", VIEWER, "csrf=" + token + fields(4242, "production"));
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.body()).contains("approving Actions deployments needs the deployer role; vera is a viewer");
        assertThat(form(PAGE + "/approve", DEPLOYER, fields(4242, "production").substring(1)).statusCode()).isEqualTo(403);
        HttpResponse<String> forged = form(PAGE + "/approve", DEPLOYER, "csrf=forged" + fields(4242, "production"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("stale or came from another site");
        assertThat(form(PAGE + "/approve", OTHER, "csrf=" + token + fields(4242, "production")).statusCode())
                .as("dan's form posted by olga").isEqualTo(403);
        assertThat(form(PAGE + "/reject", DEPLOYER, "csrf=" + token + fields(4242, "production") + "&reason=x").statusCode())
                .as("the approve token used to reject").isEqualTo(403);
        assertThat(form(PAGE + "/approve", DEPLOYER, "csrf=" + token + fields(4343, "staging")).statusCode())
                .as("run 4242's token for run 4343").isEqualTo(403);
        HttpResponse<String> crossSite = Deliveries.send(HttpRequest.newBuilder(URI.create(tomcat.base + PAGE + "/approve"))
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + token + fields(4242, "production")))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", DEPLOYER)
                .header("Sec-Fetch-Site", "cross-site").build());
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(robot.robot.gatedRun(GatedRun.key(target(4242, "production"))).orElseThrow().approvals()).isEmpty();

        for (String bad : List.of(fields(999, "production"), fields(4242, "qa"), "&repository=codertocat%2Fhello-world&run_id=abc"
                + "&environment=production", "&repository=codertocat%2Fhello-world&run_id=-4242&environment=production",
                "&repository=codertocat%2Fhello-world&run_id=99999999999999999999999&environment=production",
                "&repository=..%2F..&run_id=4242&environment=production", "&run_id=4242")) {
            HttpResponse<String> r = form(PAGE + "/approve", DEPLOYER, "csrf=" + token + bad);
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isIn(403, 404);
            assertThat(r.body()).doesNotContain("Exception");
        }
        assertThat(form(PAGE + "/approve", DEPLOYER, "csrf=" + token + "&repository=codertocat%2Fhello-world&run_id=abc"
                + "&environment=production").statusCode()).isEqualTo(404);
        assertThat(get(PAGE + "/approve", DEPLOYER).statusCode()).isEqualTo(405);
        assertThat(get(PAGE + "/nothing", DEPLOYER).statusCode()).isEqualTo(404);
        assertThat(form(PAGE, DEPLOYER, "").statusCode()).isEqualTo(405);

        assertThat(dans).as("staging needs an admin to decide").doesNotContain("value=\"4343\"");
        String adas = get(PAGE, ADMIN).body();
        HttpResponse<String> deployerOnStaging = form(PAGE + "/approve", DEPLOYER, "csrf=" + csrf(adas, "approve", 4343)
                + fields(4343, "staging"));
        assertThat(deployerOnStaging.statusCode()).as("ada's token, and dan lacks the role anyway").isEqualTo(403);
        HttpResponse<String> admin = form(PAGE + "/approve", ADMIN, "csrf=" + csrf(adas, "approve", 4343) + fields(4343, "staging"));
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(303);
        await().until(() -> !reviews(4343, "staging").isEmpty());
    }

    @Test
    void theRunsOwnCreatorMayNotApproveItAndIsToldWhy() throws Exception {
        requested(4242, "production");
        String page = get(PAGE, CREATOR).body();
        HttpResponse<String> self = form(PAGE + "/approve", CREATOR, "csrf=" + csrf(page, "approve", 4242) + fields(4242, "production"));
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(self.body()).contains("octocat started run 4242 and may not approve it (self_approval: false)");
        HttpResponse<String> api = api(API + "/approve", CREATOR, body(4242, "production", ""));
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(api.body()).path("reason").asText()).contains("may not approve it (self_approval: false)");
        assertThat(listed(4242).path("approvals")).isEmpty();
        assertThat(reviews(4242, "production")).isEmpty();
    }

    @Test
    void aRejectionNeedsAReasonAndHostileValuesAreShownEscaped() throws Exception {
        requested(4242, "production");
        Instant now = robot.robot.timeSource().now();
        String hostile = "<script>alert('x')</script>";
        ProtectionRuleTarget odd = new ProtectionRuleTarget(REPO, 4545, EnvironmentName.of("production"), OptionalLong.of(77));
        robot.store.insertGated(GatedRun.requested(odd, DeploymentId.of(9545), Values.SHA2, GitRef.of("feature/ü%41#1"), hostile,
                "<img/src=x/onerror=alert(1)>", now, now.plusSeconds(600)), DeliveryId.of("gate-odd"));
        ProtectionRuleTarget elsewhere = new ProtectionRuleTarget(REPO, 4646, EnvironmentName.of("<b onclick=x>prod\"'</b>"),
                OptionalLong.of(77));
        robot.store.insertGated(GatedRun.requested(elsewhere, DeploymentId.of(9646), Values.SHA2, GitRef.of("main"), "octocat",
                "push", now, now.plusSeconds(600)), DeliveryId.of("gate-elsewhere"));

        String page = get(PAGE, DEPLOYER).body();
        HttpResponse<String> noReason = form(PAGE + "/reject", DEPLOYER, "csrf=" + csrf(page, "reject", 4242) + fields(4242, "production")
                + "&reason=+++");
        assertThat(noReason.statusCode()).isEqualTo(422);
        assertThat(noReason.body()).contains("say why the run is rejected");
        HttpResponse<String> rejected = form(PAGE + "/reject", DEPLOYER, "csrf=" + csrf(page, "reject", 4545) + "&repository="
                + "codertocat%2Fhello-world&run_id=4545&environment=production&reason=%3Cscript%3Ealert(%27r%27)%3C%2Fscript%3E+"
                + TestRobot.TOKEN);
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(303);
        await().until(() -> !robot.protectionRules.reviews(odd).isEmpty());
        assertThat(robot.protectionRules.reviews(odd)).singleElement()
                .satisfies(r -> assertThat(r.decision()).contains(Decision.REJECTED));

        String html = get(PAGE, VIEWER).body();
        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img/src=x").doesNotContain("<b onclick")
                .doesNotContain(TestRobot.TOKEN)
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("&lt;img/src=x/onerror=alert(1)&gt;")
                .contains("Rejected by dan: &lt;script&gt;alert(&#39;r&#39;)&lt;/script&gt; ***")
                .contains("&lt;b onclick=x&gt;prod&quot;&#39;&lt;/b&gt;")
                .contains("feature/ü%41#1");
        await().until(() -> listed(4545).path("delivery").asText().equals("sent"));
        JsonNode odd4545 = listed(4545);
        assertThat(odd4545.path("creator").asText()).isEqualTo(hostile);
        assertThat(odd4545.path("reason").asText()).isEqualTo("Rejected by dan: <script>alert('r')</script> ***");
        assertThat(odd4545.path("decided_by").asText()).isEqualTo("dan");
        assertThat(get(API, VIEWER).headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(listed(4646).path("approvals_required").isNull()).as("its environment is not gated here").isTrue();
        HttpResponse<String> notGated = api(API + "/approve", ADMIN, "{\"repository\": \"codertocat/hello-world\", \"run_id\": 4646, "
                + "\"environment\": \"<b onclick=x>prod\\\"'</b>\"}");
        assertThat(notGated.statusCode()).isEqualTo(404);
    }

    @Test
    void theJsonApiApprovesAndRejectsAndAnswersEachRefusalWithItsStatus() throws Exception {
        requested(4242, "production");
        requested(4343, "production");
        requested(4444, "staging");
        assertThat(api(API + "/approve", null, body(4242, "production", "")).statusCode()).isEqualTo(401);
        HttpResponse<String> viewer = api(API + "/approve", VIEWER, body(4242, "production", ""));
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(viewer.body()).path("error").asText()).isEqualTo("forbidden");
        assertThat(Deliveries.request(tomcat.base + API + "/approve", "POST", DEPLOYER, "application/x-www-form-urlencoded",
                fields(4242, "production").substring(1)).statusCode()).isEqualTo(415);
        for (String bad : List.of("{\"repository\": \"codertocat/hello-world\", \"run_id\": \"4242\", \"environment\": \"production\"}",
                "{\"repository\": \"codertocat/hello-world\", \"run_id\": \"abc\", \"environment\": \"production\"}",
                "{\"repository\": \"codertocat/hello-world\", \"run_id\": 42.5, \"environment\": \"production\"}",
                "{\"repository\": \"codertocat/hello-world\", \"run_id\": -1, \"environment\": \"production\"}",
                "{\"repository\": \"codertocat/hello-world\", \"run_id\": 1e400, \"environment\": \"production\"}",
                "{\"repository\": \"codertocat/hello-world\", \"environment\": \"production\"}",
                "{\"run_id\": 4242, \"environment\": \"production\"}",
                "{\"repository\": 7, \"run_id\": 4242, \"environment\": \"production\"}",
                body(4242, "production", ", \"reason\": \"not taken by approve\""),
                body(4242, "production", ", \"run\": 1"),
                body(4242, "production", ", \"run_id\": 4343"),
                "{\"repository\": ", "[4242]")) {
            HttpResponse<String> r = api(API + "/approve", DEPLOYER, bad);
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("bad_request");
        }
        assertThat(api(API + "/approve", DEPLOYER, body(999, "production", "")).statusCode()).isEqualTo(404);
        assertThat(api(API + "/approve", DEPLOYER, body(4242, "qa", "")).statusCode()).isEqualTo(404);
        assertThat(api(API + "/approve", DEPLOYER, "{\"repository\": \"no-slash\", \"run_id\": 4242, \"environment\": \"production\"}")
                .statusCode()).isEqualTo(404);
        assertThat(api(API + "/undo", DEPLOYER, body(4242, "production", "")).statusCode()).isEqualTo(404);
        assertThat(get(API + "/approve", DEPLOYER).statusCode()).isEqualTo(405);
        HttpResponse<String> staging = api(API + "/approve", DEPLOYER, body(4444, "staging", ""));
        assertThat(staging.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(staging.body()).path("reason").asText()).contains("needs the admin role; dan is a deployer");

        HttpResponse<String> approved = api(API + "/approve", DEPLOYER, body(4242, "production", ""));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(JSON.readTree(approved.body()).path("ok").asBoolean()).isTrue();
        assertThat(JSON.readTree(approved.body()).path("message").asText()).isEqualTo("dan approved run 4242 (1 of 1)");
        await().until(() -> listed(4242).path("state").asText().equals("approved"));
        assertThat(listed(4242).path("approvals").get(0).path("user").asText()).isEqualTo("dan");
        HttpResponse<String> decided = api(API + "/reject", OTHER, body(4242, "production", ", \"reason\": \"no\""));
        assertThat(decided.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(decided.body()).path("error").asText()).isEqualTo("conflict");

        HttpResponse<String> noReason = api(API + "/reject", OTHER, body(4343, "production", ""));
        assertThat(noReason.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(noReason.body()).path("error").asText()).isEqualTo("invalid");
        HttpResponse<String> rejected = api(API + "/reject", OTHER, body(4343, "production", ", \"reason\": \"release freeze\""));
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        await().until(() -> !reviews(4343, "production").isEmpty());
        assertThat(reviews(4343, "production")).singleElement().satisfies(r -> {
            assertThat(r.decision()).contains(Decision.REJECTED);
            assertThat(r.comment()).isEqualTo("Rejected by olga: release freeze");
        });
        assertThat(robot.notifier.notices()).anySatisfy(n -> {
            assertThat(n.kind().name()).isEqualTo("GATE_REJECTED");
            assertThat(n.actor()).isEqualTo(Optional.of("olga"));
        });
    }

    @Test
    void aQueryStringThatIsNotUtf8IsABadRequestNeverA500() throws Exception {
        for (String path : List.of(PAGE + "?repository=%ff", API + "?repository=%c0%af", "/deployments?repository=%ff",
                "/deployments/environments?environment=%ff", "/deployments/api?repository=%ff")) {
            HttpResponse<String> r = get(path, VIEWER);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(r.body()).as(path).contains("not valid percent-encoded UTF-8");
        }
        assertThat(get(API + "?repository=%ff", VIEWER).headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
    }

    @Test
    void whileTheStoreIsAwayTheListAndDecisionsAnswer503WithoutItsDetails() throws Exception {
        requested(4242, "production");
        String page = get(PAGE, DEPLOYER).body();
        robot.storeDown = true;
        HttpResponse<String> list = get(API, VIEWER);
        assertThat(list.statusCode()).isEqualTo(503);
        assertThat(list.headers().firstValue("Retry-After")).contains("10");
        assertThat(get(PAGE, VIEWER).statusCode()).isEqualTo(503);
        HttpResponse<String> approve = api(API + "/approve", DEPLOYER, body(4242, "production", ""));
        assertThat(approve.statusCode()).isEqualTo(503);
        assertThat(approve.body()).doesNotContain("hunter2");
        HttpResponse<String> byForm = form(PAGE + "/approve", DEPLOYER, "csrf=" + csrf(page, "approve", 4242) + fields(4242, "production"));
        assertThat(byForm.statusCode()).isEqualTo(503);
        assertThat(byForm.body()).doesNotContain("hunter2");
        robot.storeDown = false;
        assertThat(api(API + "/approve", DEPLOYER, body(4242, "production", "")).statusCode()).isEqualTo(200);
    }
}
