package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.autodeploy.assembly.RobotAssembly;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code autodeploy lock|unlock} against a running standalone server: the lock shows in the
 * environments JSON, the token never in the output, and refusals and usage errors have their exit codes.
 */
class LockCliIT {
    private static final String ALICE = "alice-token-4b7e2d";
    private static final String BOB = "bob-token-9c1f3a";
    private static final String VERA = "vera-token-2e8d0c";
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private StandaloneServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Path config = Files.writeString(dir.resolve("autodeploy.yml"), """
                github:
                  webhook_secret: lock-cli-secret
                access:
                  users:
                    alice: {token: %s, role: deployer}
                    bob: {token: %s, role: deployer}
                    vera: {token: %s, role: viewer}
                repos:
                  example/app:
                    folder: %s
                    commands:
                      - [echo, deployed]
                """.formatted(ALICE, BOB, VERA, dir));
        server = StandaloneServer.start(RobotAssembly.assemble(RobotAssembly.load(config, Map.of())), "127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run cli(Map<String, String> env, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private JsonNode lockOfProduction() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                        + "/deployments/api/environments?repository=example/app&environment=production"))
                .header("Authorization", "Bearer " + VERA).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get(0).path("lock");
    }

    @Test
    void aLockTakenByTheCliShowsInTheEnvironmentsJsonAndTheCliUnlocksIt() throws Exception {
        Run locked = cli(Map.of(), "lock", "example/app", "production", "--to", base, "--token", ALICE, "--reason", "incident 4711",
                "--expires", "2h");
        assertThat(locked.code()).as(locked.err()).isZero();
        assertThat(locked.out()).contains("locked example/app production: incident 4711");
        assertThat(locked.out() + locked.err()).doesNotContain(ALICE);
        JsonNode lock = lockOfProduction();
        assertThat(lock.path("holder").asText()).isEqualTo("alice");
        assertThat(lock.path("reason").asText()).isEqualTo("incident 4711");
        assertThat(lock.path("expires").isNull()).isFalse();

        Run refused = cli(Map.of("AUTODEPLOY_TOKEN", BOB), "unlock", "example/app", "production", "--to", base + "/deployments");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("unlock refused (409 conflict)").contains("only alice unlocks it").doesNotContain(BOB);
        assertThat(lockOfProduction().path("holder").asText()).isEqualTo("alice");

        Run unlocked = cli(Map.of("AUTODEPLOY_TOKEN", ALICE), "unlock", "example/app", "production", "--to", base);
        assertThat(unlocked.code()).as(unlocked.err()).isZero();
        assertThat(unlocked.out()).contains("unlocked example/app production");
        assertThat(lockOfProduction().isNull()).isTrue();
    }

    @Test
    void refusalsExitWithOneAndTheServersReasonAndUsageErrorsWithTwo() throws Exception {
        Run viewer = cli(Map.of(), "lock", "example/app", "production", "--to", base, "--token", VERA, "--reason", "x");
        assertThat(viewer.code()).isEqualTo(1);
        assertThat(viewer.err()).contains("403").contains("locking needs the deployer role; vera is a viewer").doesNotContain(VERA);
        Run unknown = cli(Map.of(), "lock", "example/other", "production", "--to", base, "--token", ALICE, "--reason", "x");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("404");
        Run noReason = cli(Map.of(), "lock", "example/app", "production", "--to", base, "--token", ALICE);
        assertThat(noReason.code()).isEqualTo(1);
        assertThat(noReason.err()).contains("422").contains("needs a reason");
        Run badToken = cli(Map.of(), "lock", "example/app", "production", "--to", base, "--token", "wrong-token-000", "--reason", "x");
        assertThat(badToken.code()).isEqualTo(1);
        assertThat(badToken.err()).contains("401").doesNotContain("wrong-token-000");

        assertThat(cli(Map.of(), "lock", "example/app", "production", "--to", base).code()).as("no token").isEqualTo(2);
        assertThat(cli(Map.of(), "lock", "example/app", "--to", base, "--token", ALICE).code()).as("no environment").isEqualTo(2);
        assertThat(cli(Map.of(), "lock", "example/app", "production", "--token", ALICE).code()).as("no --to").isEqualTo(2);
        assertThat(cli(Map.of(), "lock", "app", "production", "--to", base, "--token", ALICE).code()).as("no owner").isEqualTo(2);
        assertThat(cli(Map.of(), "unlock", "example/app", "production", "--to", base, "--token", ALICE, "--reason", "x").code())
                .isEqualTo(2);
        assertThat(cli(Map.of(), "lock", "example/app", "production", "--to", "ftp://x", "--token", ALICE).code()).isEqualTo(2);
        assertThat(lockOfProduction().isNull()).isTrue();
    }
}
