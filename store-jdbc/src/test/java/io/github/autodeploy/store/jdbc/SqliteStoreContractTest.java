package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.testkit.DeploymentStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreContractTest extends DeploymentStoreContract {
    @TempDir
    Path folder;
    private final List<JdbcDeploymentStore> opened = new ArrayList<>();

    @Override
    protected DeploymentStore newStore() {
        JdbcDeploymentStore s = JdbcDeploymentStore.builder().url("jdbc:sqlite:" + folder.resolve("store.db"))
                .logLimitBytes(1024).build();
        opened.add(s);
        return s;
    }

    @AfterEach
    void close() {
        opened.forEach(JdbcDeploymentStore::close);
    }
}
