package io.github.autodeploy.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.GitRef;
import io.github.autodeploy.core.model.InvalidValueException;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.testkit.Values;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Until the gate is wired, a protection-rule request is answered ignored and nothing is deployed or approved. */
class ProtectionRuleRoutingTest {
    private static WebhookEvent.ProtectionRuleRequested requested(RepositoryName repo, long runId, List<Integer> prs) {
        return new WebhookEvent.ProtectionRuleRequested(repo, EnvironmentName.PRODUCTION, "push",
                "https://api.github.com/repos/" + repo + "/actions/runs/" + runId + "/deployment_protection_rule", runId,
                DeploymentId.of(5), Values.SHA, GitRef.of("main"), Values.OCTOCAT, prs, Values.OCTOCAT, OptionalLong.of(42));
    }

    @Test
    void aProtectionRuleRequestForAConfiguredRepositoryIsIgnoredAsNotConfiguredForProtectionRules() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            assertThat(h.send(requested(Values.REPO, 77, List.of(3))))
                    .isEqualTo(new Receipt(Receipt.Kind.IGNORED,
                            "environment production of octo/app is not configured for protection rules"));
        }
    }

    @Test
    void aProtectionRuleRequestForAnotherRepositoryIsIgnoredAsUnconfigured() {
        try (Harness h = Harness.of(Harness.rule().build())) {
            assertThat(h.send(requested(RepositoryName.of("other/app"), 77, List.of())).kind()).isEqualTo(Receipt.Kind.IGNORED);
        }
    }

    @Test
    void theEventRefusesAnImpossibleRunOrPullRequestNumber() {
        assertThatThrownBy(() -> requested(Values.REPO, 0, List.of())).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> requested(Values.REPO, 7, List.of(-1))).isInstanceOf(InvalidValueException.class);
    }
}
