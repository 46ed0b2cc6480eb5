package io.github.autodeploy.core.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.plan.CommandPlan;
import io.github.autodeploy.core.plan.CommandsPlanner;
import io.github.autodeploy.core.plan.DeploymentVariables;
import io.github.autodeploy.core.port.Cancellation;
import io.github.autodeploy.testkit.Values;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deployment payload too large for one environment value still reaches a real step, through its file. */
class LargePayloadTest {

    @Test
    void aPayloadOverTheEnvironmentLimitIsReadFromItsFileAndTheStepRuns(@TempDir Path dir) {
        String big = "{\"blob\":\"" + "x".repeat(200 * 1024) + "\"}";
        Deployment base = Values.deployment(9);
        Deployment d = new Deployment(base.repository(), base.id(), base.sha(), base.ref(), base.environment(), base.task(),
                base.requester(), big, "");
        EnvironmentRule rule = EnvironmentRule.commands(d.repository(), d.environment(), dir.toString(),
                List.of(List.of("sh", "-c", "wc -c < \"$AUTODEPLOY_PAYLOAD_FILE\"; echo \"env:${AUTODEPLOY_PAYLOAD:-none}\"")),
                RequiredContexts.none());
        CommandPlan plan = new CommandsPlanner().plan(rule, d, dir.resolve("scratch").toString());
        assertThat(plan.steps().get(0).environment()).doesNotContainKey(DeploymentVariables.PAYLOAD_ENV);

        List<String> out = new ArrayList<>();
        StepResult result = LocalCommandRunner.create(Secrets.none(), Duration.ofSeconds(2))
                .run(plan.steps().get(0), (stream, line) -> out.add(line.strip()), new Cancellation());

        assertThat(result.outcome()).as(String.join("\n", out)).isEqualTo(StepResult.Outcome.SUCCEEDED);
        assertThat(out).containsExactly(Integer.toString(big.length()), "env:none");
    }
}
