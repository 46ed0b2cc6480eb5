package io.github.autodeploy.examples.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.port.Notifier;
import io.github.autodeploy.testkit.NotifierContract;
import io.github.autodeploy.testkit.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example adapter passes the core's Notifier contract, and a robot wired with it writes its events. */
class JsonLinesNotifierTest extends NotifierContract {
    @TempDir
    Path dir;

    @Override
    protected Notifier notifier() {
        return new JsonLinesNotifier(dir.resolve("events.jsonl"));
    }

    @Override
    protected void awaitDelivered(int count) {
        await().until(() -> lines(dir.resolve("events.jsonl")).size() >= count);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void aRobotWiredWithItWritesOneLinePerEvent() throws Exception {
        Path config = dir.resolve("autodeploy.yml");
        Files.writeString(config, """
                github: {webhook_secret: s3cret}
                repos:
                  octo/app:
                    folder: %s
                    commands: [[true]]
                """.formatted(dir));
        Path events = dir.resolve("robot.jsonl");
        try (RobotAssembly.Assembled wired = Main.wire(config, events)) {
            wired.robot().handle(DeliveryId.of("d-1"), new WebhookEvent.DeploymentCreated(Values.deployment(42)));
            await().until(() -> lines(events).size() == 2);
        }
        List<String> written = lines(events);
        JsonNode started = new ObjectMapper().readTree(written.get(0));
        JsonNode succeeded = new ObjectMapper().readTree(written.get(1));
        assertThat(started.path("event").asText()).isEqualTo("started");
        assertThat(succeeded.path("event").asText()).isEqualTo("succeeded");
        assertThat(succeeded.path("deployment").asLong()).isEqualTo(DeploymentId.of(42).value());
        assertThat(succeeded.path("log").asText()).startsWith("http://localhost:8080/deployments/42/");
    }
}
