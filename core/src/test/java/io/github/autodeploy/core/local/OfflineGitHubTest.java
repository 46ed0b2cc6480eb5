package io.github.autodeploy.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.lifecycle.StatusUpdate;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.port.StatusPost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OfflineGitHubTest {
    @Test
    void aStatusIsLoggedWithoutTheCapabilityKeyOfItsLogPage() {
        String key = "Zq0b1uJk3vT8xY2wQe5r";
        StatusPost post = new StatusPost(new StatusUpdate(DeploymentState.SUCCESS, "deployed in 3s",
                Instant.parse("2026-11-27T10:00:00Z")), "https://robot.example.com/deployments/7/" + key);
        // slf4j-simple prints to whatever System.err is at the time of each call
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new OfflineGitHub().postStatus(RepositoryName.of("octo/app"), DeploymentId.of(7), post);
        } finally {
            System.setErr(err);
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("deployment 7 of octo/app is success: deployed in 3s").doesNotContain(key);
    }
}
