package io.github.autodeploy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.autodeploy.core.gate.RequiredContexts;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.port.ApiException;
import io.github.autodeploy.core.port.CreateResult;
import io.github.autodeploy.core.port.DeploymentApi;
import io.github.autodeploy.core.port.NewDeployment;
import io.github.autodeploy.core.port.UnfinishedDeployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeploymentApi} must do: create deployments, find the one a request created (by
 * sha, environment and payload), list the unfinished ones of an environment by their last status, and refuse a status for an unknown deployment without asking for a
 * retry. To check an implementation, extend this class in a JUnit 5 test and implement {@link #api()}
 * against a GitHub (real, fake, or MockWebServer playing one) that starts with no deployments for
 * {@link Values#REPO}. Not thread-safe (one instance per test).
 */
public abstract class DeploymentApiContract {

    /** The implementation under test; the same instance for every call within one test. */
    protected abstract DeploymentApi api();

    private NewDeployment request() {
        return new NewDeployment(Values.REPO, Values.SHA, EnvironmentName.PRODUCTION, "deploy", RequiredContexts.none(),
                Values.OCTOCAT, Map.of("autodeploy", Map.of("requester", "octocat")), "contract test");
    }

    @Test
    void createdDeploymentIsListedWhileQueuedOrInProgress() {
        CreateResult result = api().create(request());
        assertThat(result).isInstanceOf(CreateResult.Created.class);
        DeploymentId id = ((CreateResult.Created) result).id();

        api().postStatus(Values.REPO, id, Values.status(DeploymentState.QUEUED, "https://robot/deployments/x"));
        List<UnfinishedDeployment> queued = api().listUnfinished(Values.REPO, EnvironmentName.PRODUCTION);
        assertThat(queued).singleElement().satisfies(u -> {
            assertThat(u.deployment().id()).isEqualTo(id);
            assertThat(u.deployment().sha()).isEqualTo(Values.SHA);
            assertThat(u.state()).isEqualTo(DeploymentState.QUEUED);
            assertThat(u.logUrl()).contains("https://robot/deployments/x");
        });

        api().postStatus(Values.REPO, id, Values.status(DeploymentState.IN_PROGRESS, "https://robot/deployments/x"));
        assertThat(api().listUnfinished(Values.REPO, EnvironmentName.PRODUCTION))
                .extracting(UnfinishedDeployment::state).containsExactly(DeploymentState.IN_PROGRESS);

        api().postStatus(Values.REPO, id, Values.status(DeploymentState.SUCCESS, "https://robot/deployments/x"));
        assertThat(api().listUnfinished(Values.REPO, EnvironmentName.PRODUCTION)).isEmpty();
    }

    @Test
    void otherEnvironmentsAreNotListed() {
        DeploymentId id = ((CreateResult.Created) api().create(request())).id();
        api().postStatus(Values.REPO, id, Values.status(DeploymentState.QUEUED, "https://robot/deployments/x"));
        assertThat(api().listUnfinished(Values.REPO, EnvironmentName.of("staging"))).isEmpty();
    }

    private NewDeployment request(String requestId) {
        return new NewDeployment(Values.REPO, Values.SHA, EnvironmentName.PRODUCTION, "deploy", RequiredContexts.none(),
                Values.OCTOCAT, Map.of("autodeploy", Map.of("requester", "octocat", "request", requestId)), "contract test");
    }

    @Test
    void findReturnsTheDeploymentThatTheSameRequestCreated() {
        api().create(request("request-1"));
        DeploymentId id = ((CreateResult.Created) api().create(request("request-2"))).id();
        api().create(request("request-3"));
        assertThat(api().find(request("request-2"))).contains(id);
    }

    @Test
    void findIgnoresDeploymentsOfOtherRequestsShasAndEnvironments() {
        assertThat(api().find(request("request-1"))).isEmpty();
        api().create(request("request-1"));
        NewDeployment r = request("request-1");
        assertThat(api().find(request("request-2"))).isEmpty();
        assertThat(api().find(new NewDeployment(r.repository(), Values.SHA2, r.environment(), r.task(), r.requiredContexts(),
                r.requester(), r.payload(), r.description()))).isEmpty();
        assertThat(api().find(new NewDeployment(r.repository(), r.sha(), EnvironmentName.of("staging"), r.task(),
                r.requiredContexts(), r.requester(), r.payload(), r.description()))).isEmpty();
    }

    @Test
    void statusOfAnUnknownDeploymentFailsWithoutRetry() {
        assertThatThrownBy(() -> api().postStatus(Values.REPO, DeploymentId.of(999_999),
                Values.status(DeploymentState.QUEUED, "https://robot/deployments/x")))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).retryable()).isFalse());
    }
}
