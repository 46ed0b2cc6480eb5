package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.testkit.DeploymentStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

class PostgresStoreContractTest extends DeploymentStoreContract {
    private final List<JdbcDeploymentStore> opened = new ArrayList<>();

    @Override
    protected DeploymentStore newStore() {
        JdbcDeploymentStore s = JdbcDeploymentStore.builder().url(TestPostgres.freshSchemaUrl()).poolSize(3)
                .logLimitBytes(1024).build();
        opened.add(s);
        return s;
    }

    @AfterEach
    void close() {
        opened.forEach(JdbcDeploymentStore::close);
    }
}
