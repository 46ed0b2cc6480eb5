package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executable jar as a person uses it: serve in one process, send from another, check a broken file. */
class StandaloneJarIT {
    private static final Path JAR = Path.of("target/autodeploy-standalone.jar").toAbsolutePath();
    private static final Path EXAMPLE = Path.of("autodeploy.yml").toAbsolutePath();
    @TempDir
    Path dir;

    private record Result(int exit, String output) {
    }

    private Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void servesTheExampleConfigAndRunsWhatSendDelivers() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", JAR.toString(), "serve", "--config", EXAMPLE.toString(),
                "--port", "0").directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("GITHUB_TOKEN");
        Process server = pb.start();
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                output.add("reader stopped: " + e);
            }
        });
        reader.start();
        try {
            Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+/hooks/github)");
            await().atMost(Duration.ofSeconds(60)).until(() -> List.copyOf(output).stream().anyMatch(l -> listening.matcher(l).find()));
            String url = List.copyOf(output).stream().map(listening::matcher).filter(Matcher::find).findFirst().orElseThrow().group(1);

            Result sent = run("send", "deployment", "--to", url, "--secret", "try-it-locally", "--sha",
                    "0123456789abcdef0123456789abcdef01234567", "--user", "hubot");
            assertThat(sent.exit()).as(sent.output()).isZero();
            assertThat(sent.output()).contains("-> 202");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("deployed/history.log")));
            assertThat(Files.readString(dir.resolve("deployed/history.log")))
                    .isEqualTo("deployed 0123456789abcdef0123456789abcdef01234567 (main) to production for hubot\n");
            assertThat(dir.resolve("deployed/0123456789abcdef0123456789abcdef01234567")).exists();

            Result refused = run("send", "ping", "--to", url, "--secret", "not-the-secret");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.output()).contains("-> 401");
        } finally {
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
            reader.join(10_000);
        }
    }

    @Test
    void checkConfigListsEveryProblemOfABrokenFile() throws Exception {
        Path broken = dir.resolve("broken.yml");
        Files.writeString(broken, """
                github:
                  webhook_secret: s
                repos:
                  octo/app:
                    foldr: /srv/app
                    commands: [[]]
                  notarepo: {folder: /x, commands: [[make]]}
                """);
        Result r = run("check-config", broken.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("has 4 problems:",
                "line 4: repos.octo/app.folder: is missing",
                "line 5: repos.octo/app.foldr: unknown key; did you mean folder?",
                "line 6: repos.octo/app.commands[0]: has no program",
                "line 7: repos.notarepo: repository \"notarepo\" must be written owner/name");
        Result ok = run("check-config", EXAMPLE.toString());
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("is valid: 1 rule(s)");
        assertThat(run("frobnicate").exit()).isEqualTo(2);
    }
}
