package io.github.autodeploy.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.core.control.Actor;
import io.github.autodeploy.core.control.Credential;
import io.github.autodeploy.core.control.Role;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Secrets;
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
 * The pages in a real browser: the log a status links to follows a running deployment, and a named
 * deployer signed in with basic credentials cancels one through the confirmation form (CSRF token,
 * same-origin headers), recorded under their name.
 */
class DeploymentPagesBrowserIT {
    private TestRobot robot;
    private EmbeddedTomcat tomcat;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        robot = new TestRobot(2, 10);
        DeploymentPagesServlet pages = new DeploymentPagesServlet(robot.robot,
                PageAccess.users(List.of(new Credential(new Actor("dana", Role.DEPLOYER), "dana-token-0123456789"))),
                Secrets.of(List.of(TestRobot.TOKEN)), "https://github.com");
        tomcat = new EmbeddedTomcat(Map.<String, HttpServlet>of("/deployments/*", pages));
        browser = Browser.start();
    }

    @AfterEach
    void stop() throws Exception {
        browser.quit();
        robot.close();
        tomcat.close();
    }

    /** Starts a deployment that keeps printing until released, and returns the page its statuses link to. */
    private String running(long id) {
        robot.holding = true;
        Deployment d = Values.deployment(id, RepositoryName.of("Codertocat/Hello-World"), EnvironmentName.PRODUCTION);
        robot.github.givenDeployment(d);
        robot.robot.handle(DeliveryId.of("b-" + id), new WebhookEvent.DeploymentCreated(d));
        await().until(() -> robot.github.statuses(d.id()).size() >= 2);
        String logUrl = robot.github.statuses(d.id()).get(1).logUrl();
        assertThat(logUrl).startsWith("http://robot.example/deployments/" + id + "/");
        return tomcat.base + logUrl.substring("http://robot.example".length());
    }

    private int logLines() {
        return browser.findElement(By.id("log")).getText().split("\n").length;
    }

    @Test
    void theLogFollowsARunningDeploymentWithoutAReloadAndShowsHowItEnded() throws Exception {
        browser.get(running(31));
        assertThat(browser.findElement(By.cssSelector("h1 .state")).getText()).isEqualTo("running");
        browser.executeScript("window.autodeployMarker = 'same page';");
        int first = logLines();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> logLines() > first + 2);
        assertThat(browser.executeScript("return window.autodeployMarker;")).isEqualTo("same page");
        assertThat(browser.findElement(By.id("log")).getText()).contains("still working").doesNotContain(TestRobot.TOKEN);
        Browser.screenshot(browser, "deployment-running");

        robot.hold.countDown();
        // app.js replaces the badge when the state changes, so an element read a moment ago may be gone.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                browser.findElement(By.cssSelector("h1 .state")).getText().equals("succeeded"));
        assertThat(browser.findElement(By.id("follow")).getText()).isEqualTo("Finished.");
        assertThat(browser.findElement(By.id("log")).getText()).contains("done");
        assertThat(browser.findElements(By.cssSelector("#history tbody tr"))).hasSize(3);
        assertThat(browser.executeScript("return window.autodeployMarker;")).isEqualTo("same page");
        Browser.screenshot(browser, "deployment-finished");

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.navigate().refresh();
        Object overflow = browser.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(((Number) overflow).intValue()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(0);
        Browser.screenshot(browser, "deployment-phone");
    }

    @Test
    void aRunningDeploymentIsCancelledFromItsPage() throws Exception {
        String page = running(32);
        String origin = tomcat.base.replace("http://", "http://dana:dana-token-0123456789@");
        browser.get(origin + "/deployments");
        assertThat(browser.findElement(By.cssSelector("table.deployments")).getText()).contains("hello-world #32");
        Browser.screenshot(browser, "deployments-list");
        browser.get(page);
        browser.findElement(By.id("cancel")).click();
        // A click starts a navigation; wait for the new page rather than read the old one.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                browser.findElement(By.tagName("h1")).getText().equals("Cancel deployment 32?"));
        browser.findElement(By.id("confirm-cancel")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> robot.github.states(DeploymentId.of(32)).contains(DeploymentState.ERROR));
        browser.navigate().refresh();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                browser.findElement(By.cssSelector("h1 .state")).getText().equals("error"));
        assertThat(browser.findElement(By.id("history")).getText()).contains("cancelled by dana");
        Browser.screenshot(browser, "deployment-cancelled");
    }
}
