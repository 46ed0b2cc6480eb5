package io.github.autodeploy.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's deliveries are what the robot accepts, so its numbers measure the accept path and not a refusal. */
class AcceptLoadHarnessTest {
    @TempDir
    Path folder;

    @Test
    void signedDeploymentDeliveriesAreAcceptedAndTheirRedeliveryIsADuplicate() throws Exception {
        try (FakeGitHub github = FakeGitHub.start();
             LoadedRobot robot = LoadedRobot.start(folder, "memory", github.url(), 100)) {
            Webhooks webhooks = new Webhooks(LoadedRobot.SECRET, 1000);
            HttpClient http = HttpClient.newHttpClient();
            Webhooks.Delivery first = webhooks.next();
            Webhooks.Delivery second = webhooks.next();

            HttpResponse<String> a = http.send(Webhooks.request(robot.hook(), first), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> b = http.send(Webhooks.request(robot.hook(), second), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> again = http.send(Webhooks.request(robot.hook(), first), HttpResponse.BodyHandlers.ofString());

            assertThat(a.statusCode()).as(a.body()).isEqualTo(202);
            assertThat(b.statusCode()).as(b.body()).isEqualTo(202);
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(second.deploymentId()).isEqualTo(first.deploymentId() + 1);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).contains("duplicate");
        }
    }

    @Test
    void bothLoadModelsCountEveryAnswerAndTomcatTimesEachOne() throws Exception {
        StoreProfile profile = new StoreProfile();
        try (FakeGitHub github = FakeGitHub.start();
             LoadedRobot robot = LoadedRobot.start(folder, "memory", github.url(), 100, Optional.of(profile))) {
            Load load = new Load(robot.hook(), new Webhooks(LoadedRobot.SECRET, 5000));

            Load.Result open = load.open("open", 20, Duration.ofMillis(500));
            Load.Result closed = load.closed("closed", 2, Duration.ofMillis(200));

            assertThat(open.answers()).containsOnlyKeys("202").containsEntry("202", 10L);
            assertThat(open.latency().getTotalCount()).isEqualTo(10);
            assertThat(closed.answers()).containsOnlyKeys("202");
            assertThat(closed.latency().getTotalCount()).isEqualTo(closed.count("202")).isPositive();
            assertThat(robot.servedSinceLastCall().getTotalCount()).isEqualTo(10 + closed.count("202"));
            assertThat(profile.report(10)).anySatisfy(line -> assertThat(line).contains("request").contains("insert"));
        }
    }
}
