package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Steering the robot in a real browser, signed in as a named deployer: lock and unlock an environment
 * from the environments page, and roll back from a deployment's page (the created deployment is at
 * the recorded sha, with a payload naming the user).
 */
class ControlBrowserIT {
    private static final CommitSha OLD = CommitSha.of("c0ffee0000000000000000000000000000000002");
    private TestRobot robot;
    private EmbeddedTomcat tomcat;
    private ChromeDriver browser;
    private String signedIn;

    @BeforeEach
    void start() throws Exception {
        robot = new TestRobot(2, 10);
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

    private DeploymentRecord deployed(long id, CommitSha sha) {
        Deployment d = new Deployment(RepositoryName.of("Codertocat/Hello-World"), DeploymentId.of(id), sha, GitRef.of("main"),
                EnvironmentName.PRODUCTION, "deploy", Values.OCTOCAT, "{}", "");
        robot.github.givenDeployment(d);
        robot.robot.handle(DeliveryId.of("cb-" + id), new WebhookEvent.DeploymentCreated(d));
        await().until(() -> robot.github.states(d.id()).contains(DeploymentState.SUCCESS));
        return robot.robot.find(d.id()).orElseThrow();
    }

    private void awaitHeading(String text) {
        // A click starts a navigation; wait for the new page rather than read the old one.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> browser.findElement(By.tagName("h1")).getText().equals(text));
    }

    @Test
    void anEnvironmentIsLockedAndUnlockedFromTheEnvironmentsPage() throws Exception {
        deployed(51, Values.SHA);
        browser.get(signedIn + "/deployments");
        browser.findElement(By.id("nav-environments")).click();
        awaitHeading("Environments");
        assertThat(browser.findElement(By.cssSelector("section.environment")).getText())
                .contains("codertocat/hello-world · production").contains(Values.SHA.abbreviated()).contains("not locked");
        browser.findElement(By.cssSelector("form.lock input[name=reason]")).sendKeys("incident 4711");
        browser.findElement(By.cssSelector("form.lock input[name=expires]")).sendKeys("2h");
        browser.findElement(By.cssSelector("form.lock button")).click();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                browser.findElement(By.id("note")).getText().equals("You locked codertocat/hello-world production."));
        String card = browser.findElement(By.cssSelector("section.environment")).getText();
        assertThat(card).contains("locked").contains("dana").contains("incident 4711").contains("until");
        Browser.screenshot(browser, "environments-locked");

        browser.findElement(By.cssSelector("form.unlock button")).click();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                browser.findElement(By.id("note")).getText().equals("You unlocked codertocat/hello-world production."));
        assertThat(browser.findElement(By.cssSelector("section.environment")).getText()).contains("not locked");
        assertThat(robot.notifier.notices()).extracting(n -> n.kind().name()).contains("LOCKED", "UNLOCKED");
        browser.findElement(By.id("nav-deployments")).click();
        awaitHeading("Deployments");
    }

    @Test
    void aDeployerRollsBackFromAnEarlierDeploymentsPage() throws Exception {
        DeploymentRecord old = deployed(61, OLD);
        deployed(62, Values.SHA);
        browser.get(signedIn + "/deployments/environments");
        awaitHeading("Environments");
        browser.get(tomcat.base + "/deployments/" + old.deployment().id() + "/" + old.pageKey());
        browser.findElement(By.id("redeploy")).click();
        awaitHeading("Roll back codertocat/hello-world production to " + OLD.abbreviated() + "?");
        browser.findElement(By.id("reason")).sendKeys("release 62 is broken");
        browser.findElement(By.id("confirm-redeploy")).click();
        awaitHeading("Deployment created");
        assertThat(browser.findElement(By.id("result")).getText()).startsWith("created deployment 1000: rollback of c0ffee0");
        assertThat(browser.findElement(By.id("created")).getAttribute("href")).endsWith("/deployments/find/1000");
        Browser.screenshot(browser, "rolled-back");
        assertThat(robot.github.created()).singleElement().satisfies((NewDeployment n) -> {
            assertThat(n.sha()).isEqualTo(OLD);
            @SuppressWarnings("unchecked")
            Map<String, Object> ours = (Map<String, Object>) n.payload().get("autodeploy");
            assertThat(ours).containsEntry("by", "dana").containsEntry("rollback", true).containsEntry("rollback_of", 61L)
                    .containsEntry("reason", "release 62 is broken");
        });
    }
}
