package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.github.autodeploy.testkit.Values;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Deciding a gated GitHub Actions deployment in a real browser, signed in as a named deployer: from the
 * environments page's count to the Actions deployments, approve a waiting run, and GitHub receives the
 * approval naming the user.
 */
class ActionsBrowserIT {
    private static final RepositoryName REPO = RepositoryName.of("Codertocat/Hello-World");
    private static final ProtectionRuleTarget RUN = new ProtectionRuleTarget(REPO, 4242, EnvironmentName.PRODUCTION, OptionalLong.of(77));
    private TestRobot robot;
    private EmbeddedTomcat tomcat;
    private ChromeDriver browser;
    private String signedIn;

    @BeforeEach
    void start() throws Exception {
        robot = TestRobot.gating();
        DeploymentPagesServlet pages = new DeploymentPagesServlet(robot.robot,
                PageAccess.users(List.of(new Credential(new Actor("dana", Role.DEPLOYER), "dana-token-0123456789"))),
                Secrets.of(List.of(TestRobot.TOKEN)), "https://github.com");
        tomcat = new EmbeddedTomcat(Map.<String, HttpServlet>of("/deployments/*", pages));
        signedIn = tomcat.base.replace("http://", "http://dana:dana-token-0123456789@");
        browser = Browser.start();
    }

    @AfterEach
    void stop() throws Exception {
        browser.quit();
        robot.close();
        tomcat.close();
    }

    private void awaitHeading(String text) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> browser.findElement(By.tagName("h1")).getText().equals(text));
    }

    @Test
    void aDeployerApprovesAWaitingActionsRunFromItsPage() throws Exception {
        Receipt receipt = robot.robot.handle(DeliveryId.of("gate-1"), new WebhookEvent.ProtectionRuleRequested(REPO,
                EnvironmentName.PRODUCTION, "workflow_dispatch",
                "https://api.github.com/repos/codertocat/hello-world/actions/runs/4242/deployment_protection_rule", 4242,
                DeploymentId.of(9042), Values.SHA, GitRef.of("main"), Values.OCTOCAT, List.of(), Values.OCTOCAT, OptionalLong.of(77)));
        assertThat(receipt.kind()).isEqualTo(Receipt.Kind.ACCEPTED);
        await().until(() -> robot.robot.gatedRun(GatedRun.key(RUN)).map(r -> r.reason().equals("0 of 1 approvals")).orElse(false));

        browser.get(signedIn + "/deployments/environments");
        awaitHeading("Environments");
        assertThat(browser.findElement(By.cssSelector("section.environment[data-environment=production] a.actions-waiting")).getText())
                .isEqualTo("1");
        browser.findElement(By.cssSelector("section.environment[data-environment=production] a.actions-waiting")).click();
        awaitHeading("Actions deployments");
        String card = browser.findElement(By.cssSelector("section.run")).getText();
        assertThat(card).contains("codertocat/hello-world · production · run 4242").contains("waiting").contains("0 of 1 approvals")
                .contains(Values.SHA.abbreviated()).contains("octocat (workflow_dispatch)");
        assertThat(browser.findElement(By.cssSelector("section.run a.run-link")).getAttribute("href"))
                .isEqualTo("https://github.com/codertocat/hello-world/actions/runs/4242");
        Browser.screenshot(browser, "actions-waiting");

        browser.findElement(By.cssSelector("section.run form.approve button")).click();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                browser.findElement(By.id("note")).getText().equals("You approved run 4242."));
        await().until(() -> !robot.protectionRules.reviews(RUN).isEmpty());
        assertThat(robot.protectionRules.reviews(RUN)).singleElement().satisfies(r -> {
            assertThat(r.decision()).contains(Decision.APPROVED);
            assertThat(r.comment()).contains("approved by dana");
        });
        await().until(() -> robot.robot.gatedRun(GatedRun.key(RUN)).orElseThrow().delivery() == GatedRun.Delivery.SENT);
        browser.findElement(By.id("nav-actions")).click();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                browser.findElements(By.id("note")).isEmpty()
                        && browser.findElement(By.cssSelector("section.run")).getAttribute("data-state").equals("approved"));
        assertThat(browser.findElement(By.cssSelector("section.run")).getText()).contains("Approvals").contains("dana")
                .contains("by the robot · sent to GitHub");
        assertThat(browser.findElements(By.cssSelector("section.run form"))).isEmpty();
        Browser.screenshot(browser, "actions-approved");
    }
}
