package io.github.autodeploy.testkit;

import io.github.autodeploy.core.port.DeploymentApi;

class FakeDeploymentApiTest extends DeploymentApiContract {
    private final FakeDeploymentApi api = new FakeDeploymentApi();

    @Override
    protected DeploymentApi api() {
        return api;
    }
}
