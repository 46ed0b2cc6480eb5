package io.github.autodeploy.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.autodeploy.core.config.EnvironmentRule;
import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.Deployment;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.InvalidValueException;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.model.Requester;
import java.util.List;

/**
 * No value a webhook can carry (ref, environment, requester, task, payload) can add, remove or split
 * an argv element, and the payload never reaches argv at all.
 */
class CommandsPlannerFuzzTest {
    private static final List<List<String>> TEMPLATES = List.of(
            List.of("git", "checkout", "--force", "${sha}"),
            List.of("deploy", "--ref=${ref}", "${environment}", "${requester}"),
            List.of("echo", "${task}", "${repository}#${deployment_id}", "${ref}${ref}"),
            List.of("sh", "-c", "echo \"$AUTODEPLOY_REF\""));
    /** A control character cannot be in any validated value, so only the payload can hold this. */
    private static final String PAYLOAD_MARK = "\u0001payload";

    @FuzzTest(maxDuration = "10s")
    void webhookValuesNeverChangeTheShapeOfArgv(FuzzedDataProvider data) {
        Deployment deployment;
        try {
            deployment = new Deployment(RepositoryName.of("octo/app"), DeploymentId.of(data.consumeLong(1, Long.MAX_VALUE)),
                    CommitSha.of("a10867b14bb761a232cd80139fbd4c0d33264240"), GitRef.of(data.consumeString(60)),
                    EnvironmentName.of(data.consumeString(40)), data.consumeString(40), Requester.of(data.consumeString(45)),
                    "{\"x\":\"" + PAYLOAD_MARK + data.consumeRemainingAsString() + "\"}", "");
        } catch (InvalidValueException e) {
            return; // not a value GitHub could deliver past the parser
        }
        EnvironmentRule rule = EnvironmentRule.commands(deployment.repository(), deployment.environment(), "/srv/app",
                TEMPLATES, RequiredContexts.none());

        CommandPlan plan = new CommandsPlanner().plan(rule, deployment, "/tmp/scratch");

        assertThat(plan.steps()).hasSize(TEMPLATES.size());
        for (int s = 0; s < TEMPLATES.size(); s++) {
            List<String> argv = plan.steps().get(s).argv();
            List<String> template = TEMPLATES.get(s);
            assertThat(argv).hasSameSizeAs(template);
            assertThat(argv).noneMatch(a -> a.contains(PAYLOAD_MARK));
            if (deployment.payloadJson().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    <= DeploymentVariables.MAX_PAYLOAD_ENV_BYTES) {
                assertThat(plan.steps().get(s).environment()).containsEntry(DeploymentVariables.PAYLOAD_ENV, deployment.payloadJson());
            } else {
                assertThat(plan.steps().get(s).environment()).doesNotContainKey(DeploymentVariables.PAYLOAD_ENV);
            }
            assertThat(plan.steps().get(s).files()).containsExactly(new StepFile("/tmp/scratch/payload.json", deployment.payloadJson()));
        }
        assertThat(plan.steps().get(0).argv().get(3)).isEqualTo(deployment.sha().value());
        assertThat(plan.steps().get(1).argv()).containsExactly("deploy", "--ref=" + deployment.ref().value(),
                deployment.environment().value(), deployment.requester().login());
        assertThat(plan.steps().get(2).argv()).containsExactly("echo", deployment.task(),
                "octo/app#" + deployment.id().value(), deployment.ref().value() + deployment.ref().value());
        assertThat(plan.steps().get(3).argv()).isEqualTo(TEMPLATES.get(3));
        assertThat(plan.steps().get(0).workingDirectory()).contains("/srv/app");
    }
}
