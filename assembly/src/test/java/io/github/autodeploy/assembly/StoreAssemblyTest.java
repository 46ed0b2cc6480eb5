package io.github.autodeploy.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.autodeploy.config.LoadedConfig;
import io.github.autodeploy.core.lifecycle.DeploymentLifecycle;
import io.github.autodeploy.core.local.InMemoryDeploymentStore;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.store.jdbc.JdbcDeploymentStore;
import io.github.autodeploy.testkit.Values;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store an assembled robot gets from {@code store.url}: where it is, what it writes, and how it fails. */
class StoreAssemblyTest {
    private static final String PASSWORD = "pg-pass-19d2c7";
    private static final Map<String, String> ENV = Map.of("DB_PASSWORD", PASSWORD);

    private static Path write(Path dir, String store) throws IOException {
        return Files.writeString(dir.resolve("autodeploy.yml"), """
                github: {webhook_secret: hook-secret-1}
                %s
                repos:
                  octo/app: {folder: %s, commands: [[make, deploy]]}
                """.formatted(store, dir));
    }

    private static LoadedConfig load(Path file) {
        return RobotAssembly.load(file, ENV);
    }

    @Test
    void withoutStoreUrlTheRobotKeepsItsDeploymentsInSqliteInTheStateFolderBesideTheConfig(@TempDir Path dir) throws Exception {
        Path db = dir.resolve(".autodeploy/autodeploy.db");
        assertThat(db).doesNotExist();
        try (RobotAssembly.Assembled a = RobotAssembly.assemble(load(write(dir, "")))) {
            assertThat(db).isRegularFile();
            assertThat(a.store().store()).isInstanceOf(JdbcDeploymentStore.class);
            assertThat(a.store().describe()).isEqualTo("jdbc:sqlite:" + db.toAbsolutePath());
            a.store().store().insert(DeploymentRecord.queued(Values.deployment(4711), DeploymentLifecycle.created(),
                    Instant.parse("2030-01-01T00:00:00Z"), "page-key"));
        }
        try (RobotAssembly.Assembled again = RobotAssembly.assemble(load(write(dir, "")))) {
            assertThat(again.robot().find(DeploymentId.of(4711))).as("kept across a restart").isPresent();
        }
    }

    @Test
    void aStoreOpenedAheadIsTheRobotsStoreAndClosesWithIt(@TempDir Path dir) throws Exception {
        LoadedConfig config = load(write(dir, ""));
        RobotStore opened = RobotAssembly.openStore(config);
        assertThat(dir.resolve(".autodeploy/autodeploy.db")).isRegularFile();
        try (RobotAssembly.Assembled a = RobotAssembly.assemble(config.reachedAt("http://127.0.0.1:18080"), opened,
                io.github.autodeploy.core.port.RobotMetrics.none(), b -> { })) {
            assertThat(a.store()).isSameAs(opened);
            assertThat(a.robot().health().storeReachable()).isTrue();
        }
        assertThat(opened.store().ping(Duration.ofSeconds(1))).as("closed with the robot").isFalse();
    }

    @Test
    void storeUrlMemoryWritesNothing(@TempDir Path dir) throws Exception {
        Path file = write(dir, "store: {url: memory}");
        try (RobotAssembly.Assembled a = RobotAssembly.assemble(load(file))) {
            assertThat(a.store().store()).isInstanceOf(InMemoryDeploymentStore.class);
            assertThat(a.store().describe()).isEqualTo("memory");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files).containsExactlyInAnyOrder(dir, file);
        }
    }

    @Test
    void aConfigFromNoFileKeepsItsStoreInMemory() {
        try (RobotAssembly.Assembled a = RobotAssembly.assemble(RobotAssembly.parse("autodeploy.yml", """
                github: {webhook_secret: hook-secret-1}
                repos:
                  octo/app: {folder: /srv/app, commands: [[make, deploy]]}
                """, false, Map.of()))) {
            assertThat(a.store().store()).isInstanceOf(InMemoryDeploymentStore.class);
        }
    }

    @Test
    void aRelativeSqliteFileIsCreatedBesideTheConfig(@TempDir Path dir) throws Exception {
        try (RobotAssembly.Assembled a = RobotAssembly.assemble(load(write(dir, "store: {url: \"jdbc:sqlite:state/robot.db\"}")))) {
            assertThat(dir.resolve("state/robot.db")).isRegularFile();
        }
    }

    @Test
    void deploymentsOlderThanTheRetentionArePrunedAtStart(@TempDir Path dir) throws Exception {
        Path file = write(dir, "store: {retention: 30d}");
        String url = load(file).storeUrl();
        try (JdbcDeploymentStore store = JdbcDeploymentStore.open(url)) {
            store.insert(DeploymentRecord.queued(Values.deployment(1), DeploymentLifecycle.created(),
                    Instant.parse("2001-01-01T00:00:00Z"), "old-key"));
            store.insert(DeploymentRecord.queued(Values.deployment(2), DeploymentLifecycle.created(),
                    Instant.parse("2099-01-01T00:00:00Z"), "new-key"));
        }
        try (RobotAssembly.Assembled a = RobotAssembly.assemble(load(file))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> a.robot().find(DeploymentId.of(1)).isEmpty());
            assertThat(a.robot().find(DeploymentId.of(2))).isPresent();
        }
    }

    @Test
    void anUnreachablePostgresqlFailsTheStartWithOneLineNamingStoreUrlAndNoPassword(@TempDir Path dir) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        for (String store : new String[] {
                "store: {url: \"jdbc:postgresql://127.0.0.1:" + closed + "/autodeploy?user=robot&password=" + PASSWORD + "\"}",
                "store: {url: \"jdbc:postgresql://127.0.0.1:" + closed + "/autodeploy\", user: robot, password: \"${DB_PASSWORD}\"}"}) {
            LoadedConfig c = load(write(dir, store));
            assertThatThrownBy(() -> RobotAssembly.assemble(c)).as(store)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasNoCause()
                    .satisfies(e -> assertThat(e.getMessage())
                            .contains("store.url", "jdbc:postgresql://127.0.0.1:" + closed + "/autodeploy")
                            .doesNotContain(PASSWORD)
                            .doesNotContain("\n"));
        }
    }
}
