package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Credential;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.testkit.Values;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The environments page, its lock forms, redeploy and abort from a deployment's page, and the JSON
 * API, over HTTP in a real Tomcat: roles, CSRF, content types, bad bodies and the engine's refusals.
 */
class ControlPagesIT {
    private static final String VIEWER = "Bearer viewer-token-0123456789";
    private static final String DEPLOYER = "Bearer deployer-token-0123456789";
    private static final String OTHER = "Bearer other-token-0123456789";
    private static final String ADMIN = "Bearer admin-token-0123456789";
    private static final String ENVS = "/deployments/environments";
    private static final String API = "/deployments/api/environments";
    private static final String PROD = "/codertocat/hello-world/production";
    private static final CommitSha OLD = CommitSha.of("c0ffee0000000000000000000000000000000001");
    private static final ObjectMapper JSON = new ObjectMapper();
    private TestRobot robot;
    private EmbeddedTomcat tomcat;

    @BeforeEach
    void start() throws Exception {
        robot = new TestRobot(2, 10);
        PageAccess access = PageAccess.users(List.of(
                new Credential(new Actor("vera", Role.VIEWER), "viewer-token-0123456789"),
                new Credential(new Actor("dan", Role.DEPLOYER), "deployer-token-0123456789"),
                new Credential(new Actor("olga", Role.DEPLOYER), "other-token-0123456789"),
                new Credential(new Actor("ada", Role.ADMIN), "admin-token-0123456789")));
        DeploymentPagesServlet pages = new DeploymentPagesServlet(robot.robot, access,
                Secrets.of(List.of(TestRobot.TOKEN, TestRobot.SECRET)), "https://github.com");
        tomcat = new EmbeddedTomcat(Map.<String, HttpServlet>of("/deployments/*", pages));
    }

    @AfterEach
    void stop() throws Exception {
        robot.close();
        tomcat.close();
    }

    /** Delivers a deployment and waits until it runs ({@code hold}) or succeeded. */
    private DeploymentRecord deploy(long id, CommitSha sha, String payload, boolean hold) {
        DeploymentId d = deliver(id, sha, payload, hold);
        return awaitRecord(d, hold);
    }

    /** Delivers a deployment and waits until the robot knows it. */
    private DeploymentId deliver(long id, CommitSha sha, String payload, boolean hold) {
        robot.holding = hold;
        Deployment d = new Deployment(RepositoryName.of("Codertocat/Hello-World"), DeploymentId.of(id), sha, GitRef.of("main"),
                EnvironmentName.PRODUCTION, "deploy", Values.OCTOCAT, payload, "");
        robot.github.givenDeployment(d);
        robot.robot.handle(DeliveryId.of("c-" + id), new WebhookEvent.DeploymentCreated(d));
        await().until(() -> robot.robot.find(d.id()).isPresent());
        return d.id();
    }

    private DeploymentRecord awaitRecord(DeploymentId id, boolean hold) {
        await().until(() -> hold ? robot.robot.find(id).map(r -> r.state() == DeploymentState.IN_PROGRESS).orElse(false)
                : robot.github.states(id).contains(DeploymentState.SUCCESS));
        return robot.robot.find(id).orElseThrow();
    }

    private String page(DeploymentRecord r) {
        return tomcat.base + "/deployments/" + r.deployment().id() + "/" + r.pageKey();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        return Deliveries.request(tomcat.base + path, "GET", authorization, null, "");
    }

    private HttpResponse<String> form(String path, String authorization, String form) throws Exception {
        return Deliveries.request(tomcat.base + path, "POST", authorization, "application/x-www-form-urlencoded", form);
    }

    private HttpResponse<String> crossSiteForm(String path, String authorization, String form) throws Exception {
        return Deliveries.send(HttpRequest.newBuilder(URI.create(tomcat.base + path)).POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", authorization)
                .header("Sec-Fetch-Site", "cross-site").build());
    }

    private HttpResponse<String> api(String path, String authorization, String json) throws Exception {
        return Deliveries.request(tomcat.base + path, "POST", authorization, "application/json", json);
    }

    private static String csrf(String html, String action) {
        Matcher m = Pattern.compile("action=\"[^\"]*/" + action + "\"><input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(html);
        assertThat(m.find()).as("a %s form in %s", action, html).isTrue();
        return m.group(1);
    }

    private JsonNode environment() throws Exception {
        HttpResponse<String> r = get("/deployments/api/environments?environment=production", VIEWER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode all = JSON.readTree(r.body());
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void aViewerSeesEveryEnvironmentWithWhatIsDeployedAndNoLockForm() throws Exception {
        DeploymentRecord done = deploy(11, Values.SHA, "{}", false);
        assertThat(get(ENVS, null).statusCode()).isEqualTo(401);
        assertThat(get("/deployments/api/environments", null).statusCode()).isEqualTo(401);
        HttpResponse<String> html = get(ENVS, VIEWER);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.body()).contains("codertocat/hello-world · production").contains(done.pageKey())
                .contains(Values.SHA.abbreviated()).contains("not locked").doesNotContain("name=\"csrf\"");
        for (HttpResponse<String> r : List.of(html, get("/deployments/api/environments", VIEWER))) {
            assertThat(r.headers().firstValue("X-Robots-Tag")).contains("noindex, nofollow");
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .hasValueSatisfying(c -> assertThat(c).contains("default-src 'none'"));
        }
        JsonNode env = environment();
        assertThat(env.path("repository").asText()).isEqualTo("codertocat/hello-world");
        assertThat(env.path("current").path("sha").asText()).isEqualTo(Values.SHA.value());
        assertThat(env.path("current").path("url").asText()).endsWith(done.pageKey());
        assertThat(env.path("lock").isNull()).isTrue();
        assertThat(env.path("window").path("open").asBoolean()).isTrue();
        assertThat(JSON.readTree(get("/deployments/api/environments?environment=staging", VIEWER).body())).isEmpty();
        assertThat(get("/deployments", VIEWER).body()).contains("href=\"/deployments/environments\"");
    }

    @Test
    void aDeployerLocksByFormAndTheLockHoldsAnAutoDeployShownWithItsReason() throws Exception {
        String page = get(ENVS, DEPLOYER).body();
        String token = csrf(page, "lock");
        HttpResponse<String> locked = form(ENVS + PROD + "/lock", DEPLOYER, "csrf=" + token + "&reason=incident+4711+"
                + TestRobot.TOKEN + "&expires=2h");
        assertThat(locked.statusCode()).as(locked.body()).isEqualTo(303);
        assertThat(locked.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .startsWith("/deployments/environments?repository=codertocat%2Fhello-world&environment=production"));
        JsonNode lock = environment().path("lock");
        assertThat(lock.path("holder").asText()).isEqualTo("dan");
        assertThat(lock.path("reason").asText()).isEqualTo("incident 4711 ***");
        assertThat(lock.path("expires").asText()).isNotEmpty();
        assertThat(get(ENVS, VIEWER).body()).contains("incident 4711 ***").doesNotContain(TestRobot.TOKEN);

        deliver(12, Values.SHA, io.github.autodeploy.testkit.RobotPayloads.autoDeploy(TestRobot.SECRET,
                RepositoryName.of("Codertocat/Hello-World"), EnvironmentName.PRODUCTION, Values.SHA, "r1"), false);
        await().until(() -> environment().path("queued").size() == 1 && environment().path("queued").get(0).path("held").asBoolean());
        assertThat(environment().path("queued").get(0).path("heldReason").asText()).startsWith("held: locked by dan");
        assertThat(get(ENVS, DEPLOYER).body()).contains("held: locked by dan");

        String unlock = csrf(get(ENVS, DEPLOYER).body(), "unlock");
        assertThat(form(ENVS + PROD + "/unlock", DEPLOYER, "csrf=" + unlock).statusCode()).isEqualTo(303);
        await().until(() -> robot.github.states(DeploymentId.of(12)).contains(DeploymentState.SUCCESS));
        assertThat(environment().path("lock").isNull()).isTrue();
    }

    @Test
    void lockFormsNeedTheDeployerRoleAndAValidTokenAndAKnownEnvironment() throws Exception {
        String token = csrf(get(ENVS, DEPLOYER).body(), "lock");
        assertThat(form(ENVS + PROD + "/lock", null, "csrf=" + token + "&reason=x").statusCode()).isEqualTo(401);
        HttpResponse<String> viewer = form(ENVS + PROD + "/lock", VIEWER, "csrf=" + token + "&reason=x");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.body()).contains("locking needs the deployer role; vera is a viewer");
        assertThat(form(ENVS + PROD + "/lock", DEPLOYER, "reason=x").statusCode()).isEqualTo(403);
        HttpResponse<String> forged = form(ENVS + PROD + "/lock", DEPLOYER, "csrf=forged&reason=x");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("stale or came from another site");
        assertThat(form(ENVS + PROD + "/lock", OTHER, "csrf=" + token + "&reason=x").statusCode())
                .as("dan's form posted by olga").isEqualTo(403);
        assertThat(crossSiteForm(ENVS + PROD + "/lock", DEPLOYER, "csrf=" + token + "&reason=x").statusCode()).isEqualTo(403);
        assertThat(get(ENVS, VIEWER).body()).contains("not locked");
        assertThat(form(ENVS + PROD + "/lock", DEPLOYER, "csrf=" + token + "&reason=x").statusCode()).isEqualTo(303);
        assertThat(form(ENVS + "/codertocat/hello-world/staging/lock", DEPLOYER, "csrf=" + token + "&reason=x").statusCode())
                .isEqualTo(404);
        assertThat(form(ENVS + "/nobody/nothing/production/lock", DEPLOYER, "reason=x").statusCode()).isEqualTo(404);
        assertThat(get(ENVS + PROD + "/lock", DEPLOYER).statusCode()).isEqualTo(405);

        String olgas = csrf(get(ENVS, OTHER).body(), "lock");
        HttpResponse<String> taken = form(ENVS + PROD + "/lock", OTHER, "csrf=" + olgas + "&reason=mine");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("already locked by dan").doesNotContain("Exception");
        assertThat(get(ENVS, OTHER).body()).contains("take over dan").contains("remove dan");
        String unlocked = form(ENVS + PROD + "/unlock", DEPLOYER, "csrf=" + csrf(get(ENVS, DEPLOYER).body(), "unlock"))
                .headers().firstValue("Location").orElse("");
        assertThat(unlocked).contains("done=unlocked");
        assertThat(get(unlocked, DEPLOYER).body()).contains("You unlocked codertocat/hello-world production.");
        HttpResponse<String> expiry = form(ENVS + PROD + "/lock", DEPLOYER, "csrf=" + token + "&reason=x&expires=soon");
        assertThat(expiry.statusCode()).isEqualTo(422);
        assertThat(expiry.body()).contains("30m, 2h, 1d");
    }

    @Test
    void theJsonApiLocksUnlocksAndAnswersEachRefusalWithItsStatus() throws Exception {
        HttpResponse<String> locked = api(API + PROD + "/lock", DEPLOYER, "{\"reason\": \"incident 4711\", \"expires_in\": \"1d\"}");
        assertThat(locked.statusCode()).as(locked.body()).isEqualTo(200);
        assertThat(JSON.readTree(locked.body()).path("ok").asBoolean()).isTrue();
        assertThat(JSON.readTree(locked.body()).path("message").asText()).contains("locked codertocat/hello-world production");

        HttpResponse<String> conflict = api(API + PROD + "/lock", OTHER, "{\"reason\": \"mine\"}");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(conflict.body()).path("error").asText()).isEqualTo("conflict");
        assertThat(JSON.readTree(conflict.body()).path("reason").asText()).contains("locked by dan");
        assertThat(api(API + PROD + "/unlock", OTHER, "{}").statusCode()).isEqualTo(409);

        assertThat(api(API + PROD + "/lock", null, "{}").statusCode()).isEqualTo(401);
        HttpResponse<String> viewer = api(API + PROD + "/lock", VIEWER, "{\"reason\": \"x\"}");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(viewer.body()).path("error").asText()).isEqualTo("forbidden");
        HttpResponse<String> form = Deliveries.request(tomcat.base + API + PROD + "/unlock", "POST", DEPLOYER, "application/x-www-form-urlencoded",
                "steal=true");
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(Deliveries.request(tomcat.base + API + PROD + "/unlock", "POST", DEPLOYER, "text/plain", "{}").statusCode()).isEqualTo(415);
        HttpResponse<String> badJson = api(API + PROD + "/lock", DEPLOYER, "{\"reason\": ");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badJson.body()).path("reason").asText()).contains("not valid JSON");
        assertThat(api(API + PROD + "/lock", DEPLOYER, "[1]").statusCode()).isEqualTo(400);
        assertThat(api(API + PROD + "/unlock", DEPLOYER, "{\"steal\": \"yes\"}").statusCode()).isEqualTo(400);
        assertThat(api(API + PROD + "/lock", DEPLOYER, "{\"reason\": \"" + "x".repeat(20_000) + "\"}").statusCode()).isEqualTo(413);
        assertThat(api(API + "/codertocat/hello-world/staging/lock", DEPLOYER, "{\"reason\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(api(API + "/-bad-/x/production/lock", DEPLOYER, "{\"reason\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(get(API + PROD + "/lock", DEPLOYER).statusCode()).isEqualTo(405);
        assertThat(api(API + PROD + "/lock", OTHER, "{\"reason\": \"mine\", \"expires_in\": \"soon\"}").statusCode()).isEqualTo(422);

        HttpResponse<String> deployerSteals = api(API + PROD + "/lock", OTHER, "{\"reason\": \"mine now\", \"steal\": true}");
        assertThat(deployerSteals.statusCode()).as(deployerSteals.body()).isEqualTo(403);
        assertThat(api(API + PROD + "/lock", OTHER, "{\"reason\": \"x\", \"expires\": \"1h\"}").statusCode())
                .as("an unknown field (the form's name for expires_in)").isEqualTo(400);
        assertThat(api(API + PROD + "/lock", OTHER, "{\"reason\": \"x\", \"reason\": \"y\"}").statusCode())
                .as("a field given twice").isEqualTo(400);
        HttpResponse<String> stolen = api(API + PROD + "/lock", ADMIN, "{\"reason\": \"mine now\", \"steal\": true}");
        assertThat(stolen.statusCode()).as(stolen.body()).isEqualTo(200);
        assertThat(environment().path("lock").path("holder").asText()).isEqualTo("ada");
        HttpResponse<String> unlocked = api(API + PROD + "/unlock", ADMIN, "");
        assertThat(unlocked.statusCode()).as(unlocked.body()).isEqualTo(200);
        assertThat(environment().path("lock").isNull()).isTrue();
        HttpResponse<String> noReason = api(API + PROD + "/lock", DEPLOYER, "{}");
        assertThat(noReason.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(noReason.body()).path("error").asText()).isEqualTo("invalid");
    }

    @Test
    void whileTheStoreIsAwayTheEnvironmentsAndLocksAnswer503WithoutItsDetails() throws Exception {
        robot.storeDown = true;
        HttpResponse<String> list = get("/deployments/api/environments", VIEWER);
        assertThat(list.statusCode()).isEqualTo(503);
        assertThat(list.headers().firstValue("Retry-After")).contains("10");
        assertThat(JSON.readTree(list.body()).path("error").asText()).isEqualTo("unavailable");
        assertThat(get(ENVS, VIEWER).statusCode()).isEqualTo(503);
        HttpResponse<String> lock = api(API + PROD + "/lock", DEPLOYER, "{\"reason\": \"x\"}");
        assertThat(lock.statusCode()).isEqualTo(503);
        assertThat(lock.body()).contains("cannot reach its store").doesNotContain("hunter2");
        robot.storeDown = false;
        assertThat(api(API + PROD + "/lock", DEPLOYER, "{\"reason\": \"x\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void theJsonApiRedeploysRollsBackAndAbortsNamingTheUser() throws Exception {
        deploy(21, OLD, "{}", false);
        deploy(22, Values.SHA, "{}", false);

        HttpResponse<String> redeploy = api("/deployments/api/22/redeploy", DEPLOYER, "{\"reason\": \"again\"}");
        assertThat(redeploy.statusCode()).as(redeploy.body()).isEqualTo(200);
        long created = JSON.readTree(redeploy.body()).path("deployment").asLong();
        assertThat(created).isPositive();
        NewDeployment again = robot.github.created().get(0);
        assertThat(again.sha()).isEqualTo(Values.SHA);
        assertThat(again.payload().toString()).contains("by=dan").contains("rollback=false");

        HttpResponse<String> rollback = api(API + PROD + "/rollback", DEPLOYER, "{\"sha\": \"" + OLD.value() + "\", \"reason\": \"bad\"}");
        assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
        NewDeployment back = robot.github.created().get(1);
        assertThat(back.sha()).isEqualTo(OLD);
        assertThat(back.payload().toString()).contains("by=dan").contains("rollback=true");
        HttpResponse<String> never = api(API + PROD + "/rollback", DEPLOYER, "{\"sha\": \"" + "e".repeat(40) + "\"}");
        assertThat(never.statusCode()).isEqualTo(409);
        assertThat(api(API + PROD + "/rollback", DEPLOYER, "{\"sha\": \"abc\"}").statusCode()).isEqualTo(422);
        assertThat(api(API + PROD + "/rollback", VIEWER, "{\"sha\": \"" + OLD.value() + "\"}").statusCode()).isEqualTo(403);
        assertThat(api("/deployments/api/999/redeploy", DEPLOYER, "{}").statusCode()).isEqualTo(404);
        assertThat(api("/deployments/api/x/redeploy", DEPLOYER, "{}").statusCode()).isEqualTo(404);
        assertThat(Deliveries.request(tomcat.base + "/deployments/api/22/redeploy", "POST", DEPLOYER, "text/plain", "{}").statusCode()).isEqualTo(415);

        DeploymentRecord running = deploy(23, Values.SHA2, "{}", true);
        assertThat(api("/deployments/api/23/redeploy", DEPLOYER, "{}").statusCode()).as("not finished").isEqualTo(409);
        HttpResponse<String> abort = api("/deployments/api/23/abort-and-rollback", DEPLOYER, "{\"reason\": \"broken\"}");
        assertThat(abort.statusCode()).as(abort.body()).isEqualTo(200);
        await().until(() -> robot.github.states(running.deployment().id()).contains(DeploymentState.ERROR));
        assertThat(robot.robot.find(running.deployment().id()).orElseThrow().lifecycle().history())
                .anySatisfy(h -> assertThat(h.description()).contains("aborted by dan"));
        assertThat(robot.github.created().get(2).sha()).isEqualTo(Values.SHA);
    }

    @Test
    void aDeploymentsPageOffersRedeployOrAbortBehindAConfirmationAndTheFormsToken() throws Exception {
        DeploymentRecord old = deploy(31, OLD, "{}", false);
        deploy(32, Values.SHA, "{}", false);
        assertThat(get(page(old).substring(tomcat.base.length()), null).body()).contains("Roll back to this commit");
        assertThat(Deliveries.request(page(old) + "/redeploy", "GET", null, null, "").statusCode()).isEqualTo(401);
        assertThat(Deliveries.request(page(old) + "/redeploy", "GET", VIEWER, null, "").statusCode()).isEqualTo(403);
        HttpResponse<String> confirm = Deliveries.request(page(old) + "/redeploy", "GET", DEPLOYER, null, "");
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("Roll back codertocat/hello-world production to " + OLD.abbreviated());
        String token = csrf(confirm.body(), "redeploy");
        assertThat(Deliveries.request(page(old) + "/redeploy", "POST", DEPLOYER, "application/x-www-form-urlencoded", "csrf=forged").statusCode())
                .isEqualTo(403);
        assertThat(robot.github.created()).isEmpty();
        HttpResponse<String> done = Deliveries.request(page(old) + "/redeploy", "POST", DEPLOYER, "application/x-www-form-urlencoded",
                "csrf=" + token + "&reason=bad+release");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("created deployment 1000").contains("/deployments/find/1000");
        assertThat(robot.github.created()).singleElement().satisfies(n -> {
            assertThat(n.sha()).isEqualTo(OLD);
            assertThat(n.payload().toString()).contains("by=dan").contains("reason=bad release");
        });
        assertThat(get("/deployments/find/1000", VIEWER).statusCode()).as("not announced by GitHub yet").isEqualTo(404);
        HttpResponse<String> found = get("/deployments/find/31", VIEWER);
        assertThat(found.statusCode()).isEqualTo(303);
        assertThat(found.headers().firstValue("Location")).contains(page(old).substring(tomcat.base.length()));

        DeploymentRecord running = deploy(33, Values.SHA2, "{}", true);
        assertThat(get(page(running).substring(tomcat.base.length()), null).body()).contains("Abort and roll back");
        assertThat(Deliveries.request(page(old) + "/abort", "GET", DEPLOYER, null, "").statusCode()).as("finished").isEqualTo(409);
        String abort = csrf(Deliveries.request(page(running) + "/abort", "GET", DEPLOYER, null, "").body(), "abort");
        HttpResponse<String> aborted = Deliveries.request(page(running) + "/abort", "POST", DEPLOYER, "application/x-www-form-urlencoded",
                "csrf=" + abort + "&reason=broken");
        assertThat(aborted.statusCode()).as(aborted.body()).isEqualTo(200);
        await().until(() -> robot.github.states(running.deployment().id()).contains(DeploymentState.ERROR));
        assertThat(robot.github.created()).hasSize(2);
        assertThat(Optional.of(robot.github.created().get(1).sha())).contains(Values.SHA);
    }
}
