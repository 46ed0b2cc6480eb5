package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Credential;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.testkit.Values;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Named users in a real Tomcat: 401 without a credential, 403 naming the role for too low a role, and who cancelled. */
class PagesRolesIT {
    private static final String VIEWER = "Bearer viewer-token-0123456789";
    private static final String DEPLOYER = "Bearer deployer-token-0123456789";
    private TestRobot robot;
    private EmbeddedTomcat tomcat;

    @BeforeEach
    void start() throws Exception {
        robot = new TestRobot(2, 10);
        PageAccess access = PageAccess.users(List.of(
                new Credential(new Actor("vera", Role.VIEWER), "viewer-token-0123456789"),
                new Credential(new Actor("dan", Role.DEPLOYER), "deployer-token-0123456789")));
        DeploymentPagesServlet pages = new DeploymentPagesServlet(robot.robot, access,
                Secrets.of(List.of(TestRobot.TOKEN, TestRobot.SECRET)), "https://github.com");
        tomcat = new EmbeddedTomcat(Map.<String, HttpServlet>of("/deployments/*", pages));
    }

    @AfterEach
    void stop() throws Exception {
        robot.close();
        tomcat.close();
    }

    private DeploymentRecord running(long id) {
        robot.holding = true;
        Deployment d = Values.deployment(id, RepositoryName.of("Codertocat/Hello-World"), EnvironmentName.PRODUCTION);
        robot.github.givenDeployment(d);
        robot.robot.handle(DeliveryId.of("r-" + id), new WebhookEvent.DeploymentCreated(d));
        await().until(() -> robot.ran.get() > 0);
        return robot.robot.find(d.id()).orElseThrow();
    }

    private String page(DeploymentRecord r) {
        return tomcat.base + "/deployments/" + r.deployment().id() + "/" + r.pageKey();
    }

    private static HttpResponse<String> send(String url, String method, String authorization, Map<String, String> headers,
                                             String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        headers.forEach(b::header);
        return Deliveries.send(b.build());
    }

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        return send(url, "GET", authorization, Map.of(), "");
    }

    private static String csrf(HttpResponse<String> confirm) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(confirm.body());
        assertThat(m.find()).as(confirm.body()).isTrue();
        return m.group(1);
    }

    @Test
    void aViewerReadsTheListAndTheApiAndAnUnknownTokenIsUnauthorized() throws Exception {
        running(71);
        assertThat(get(tomcat.base + "/deployments", VIEWER).statusCode()).isEqualTo(200);
        assertThat(get(tomcat.base + "/deployments/api", VIEWER).statusCode()).isEqualTo(200);
        assertThat(get(tomcat.base + "/deployments/api", PageAccessTest.basic("vera:viewer-token-0123456789")).statusCode())
                .isEqualTo(200);
        HttpResponse<String> wrongName = get(tomcat.base + "/deployments/api", PageAccessTest.basic("dan:viewer-token-0123456789"));
        assertThat(wrongName.statusCode()).isEqualTo(401);
        assertThat(wrongName.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic"));
        JsonNode error = new ObjectMapper().readTree(get(tomcat.base + "/deployments/api", "Bearer nobody-0123456789").body());
        assertThat(error.path("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void aViewerMayNotCancelAndIsToldWhichRoleItNeeds() throws Exception {
        DeploymentRecord r = running(72);
        HttpResponse<String> confirm = get(page(r) + "/cancel", VIEWER);
        assertThat(confirm.statusCode()).isEqualTo(403);
        assertThat(confirm.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(confirm.body()).contains("cancelling needs the deployer role; vera is a viewer");
        String token = csrf(get(page(r) + "/cancel", DEPLOYER));
        assertThat(send(page(r) + "/cancel", "POST", VIEWER, Map.of(), "csrf=" + token).statusCode())
                .as("a deployer's form posted with a viewer's credential").isEqualTo(403);
        assertThat(robot.robot.find(r.deployment().id()).orElseThrow().state()).isEqualTo(DeploymentState.IN_PROGRESS);
    }

    @Test
    void aDeployerCancelsAndTheHistorySaysWho() throws Exception {
        DeploymentRecord r = running(73);
        String token = csrf(get(page(r) + "/cancel", DEPLOYER));
        HttpResponse<String> done = send(page(r) + "/cancel", "POST", DEPLOYER,
                Map.of("Origin", tomcat.base, "Sec-Fetch-Site", "same-origin"), "csrf=" + token);
        assertThat(done.statusCode()).isEqualTo(303);
        await().until(() -> robot.github.states(r.deployment().id()).contains(DeploymentState.ERROR));
        assertThat(robot.robot.find(r.deployment().id()).orElseThrow().lifecycle().history())
                .anySatisfy(h -> assertThat(h.description()).contains("cancelled by dan"));
    }

    @Test
    void aCrossSiteOrStaleFormDoesNotCancel() throws Exception {
        DeploymentRecord r = running(74);
        String token = csrf(get(page(r) + "/cancel", DEPLOYER));
        for (Map<String, String> headers : List.of(Map.of("Sec-Fetch-Site", "cross-site"), Map.of("Origin", "https://evil.example"))) {
            HttpResponse<String> refused = send(page(r) + "/cancel", "POST", DEPLOYER, headers, "csrf=" + token);
            assertThat(refused.statusCode()).as(headers.toString()).isEqualTo(403);
            assertThat(refused.body()).contains("stale or came from another site");
        }
        assertThat(send(page(r) + "/cancel", "POST", DEPLOYER, Map.of(), "").statusCode()).isEqualTo(403);
        assertThat(send(page(r) + "/cancel", "POST", DEPLOYER, Map.of(), "csrf=forged").statusCode()).isEqualTo(403);
        assertThat(robot.robot.find(r.deployment().id()).orElseThrow().state()).isEqualTo(DeploymentState.IN_PROGRESS);
    }
}
