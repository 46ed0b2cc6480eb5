package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.RepositoryName;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pages given blank credentials (as {@code ${PAGES_PASSWORD:-}} with nothing set makes them) are closed to all. */
class BlankPagesCredentialIT {
    private static final String ADMIN_WITHOUT_PASSWORD = "Basic "
            + Base64.getEncoder().encodeToString("admin:".getBytes(StandardCharsets.UTF_8));
    private TestRobot robot;
    private EmbeddedTomcat tomcat;

    @BeforeEach
    void start() throws Exception {
        robot = new TestRobot(2, 10);
        DeploymentPagesServlet pages = new DeploymentPagesServlet(robot.robot,
                PageAccess.credentials(Optional.of(""), Optional.of("admin"), Optional.of("")),
                Secrets.of(List.of(TestRobot.TOKEN, TestRobot.SECRET)), "https://github.com");
        tomcat = new EmbeddedTomcat(Map.<String, HttpServlet>of("/deployments/*", pages));
    }

    @AfterEach
    void stop() throws Exception {
        robot.close();
        tomcat.close();
    }

    private static HttpResponse<String> send(String url, String method, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("csrf=anything"));
        return Deliveries.send(b.build());
    }

    @Test
    void anEmptyPasswordReadsNothingCancelsNothingAndThePageSaysNoCredentialIsConfigured() throws Exception {
        robot.holding = true;
        Deployment base = Values.deployment(1, RepositoryName.of("Codertocat/Hello-World"), EnvironmentName.PRODUCTION);
        Deployment d = new Deployment(base.repository(), base.id(), base.sha(), GitRef.of("main"),
                base.environment(), "deploy", base.requester(), "{}", "");
        robot.github.givenDeployment(d);
        robot.robot.handle(DeliveryId.of("blank-1"), new WebhookEvent.DeploymentCreated(d));
        await().until(() -> robot.ran.get() > 0);
        DeploymentRecord r = robot.robot.find(d.id()).orElseThrow();

        HttpResponse<String> api = send(tomcat.base + "/deployments/api", "GET", ADMIN_WITHOUT_PASSWORD);
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.body()).contains("No credential is configured").doesNotContain(r.pageKey());
        assertThat(api.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(send(tomcat.base + "/deployments/api", "GET", "Bearer ").statusCode()).isEqualTo(401);
        HttpResponse<String> list = send(tomcat.base + "/deployments", "GET", ADMIN_WITHOUT_PASSWORD);
        assertThat(list.statusCode()).isEqualTo(401);
        assertThat(list.body()).contains("No credential is configured");

        String cancel = tomcat.base + "/deployments/" + d.id() + "/" + r.pageKey() + "/cancel";
        assertThat(send(cancel, "POST", ADMIN_WITHOUT_PASSWORD).statusCode()).isEqualTo(401);
        assertThat(robot.robot.find(d.id()).orElseThrow().state()).isEqualTo(DeploymentState.IN_PROGRESS);
    }
}
