package io.github.autodeploy.examples.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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

    /** The README's fenced block that follows {@code heading}, with its lines joined. */
    private static String readmeBlock(String readme, String heading) {
        int at = readme.indexOf(heading);
        assertThat(at).as("the README has %s", heading).isNotNegative();
        int open = readme.indexOf("```\n", at) + 4;
        return readme.substring(open, readme.indexOf("```", open)).strip();
    }

    /** Splits a README command into words (they hold no quotes). */
    private static List<String> words(String command) {
        return List.of(command.strip().split("\\s+"));
    }

    /**
     * The README's "Run it" and "Try it without GitHub" commands, run as written from a folder where
     * {@code examples/} is the project's, except that serve gets {@code --port 0} and send the address
     * serve prints (so the test never collides with a robot already on 8080). Then the README's page
     * shows the deployment, the commands' files are where it says, and every link is on the real port.
     */
    @Test
    void theReadmesTryItRunsAsWrittenAndThePageShowsTheDeployment() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        String readme = Files.readString(root.resolve("README.md"));
        String run = readmeBlock(readme, "Run it ");
        String serveCommand = run.substring(run.indexOf("examples/standalone/autodeploy serve"));
        String sendCommand = readmeBlock(readme, "## Try it without GitHub");
        assertThat(serveCommand).startsWith("examples/standalone/autodeploy serve --config ");
        assertThat(sendCommand).startsWith("java -jar examples/standalone/target/autodeploy-standalone.jar send deployment")
                .contains("http://127.0.0.1:8080/hooks/github");
        Files.createSymbolicLink(dir.resolve("examples"), root.resolve("examples"));

        List<String> serve = new ArrayList<>(words(serveCommand));
        serve.addAll(List.of("--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(serve).directory(dir.toFile()).redirectErrorStream(true);
        // The launcher runs this JDK; its first serve makes the class-data archive with a training run.
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("AUTODEPLOY_JAR");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("GITHUB_TOKEN");
        pb.environment().remove("PUBLIC_URL");
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
            Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))/hooks/github");
            await().atMost(Duration.ofSeconds(180)).until(() -> List.copyOf(output).stream().anyMatch(l -> listening.matcher(l).find()));
            Matcher m = List.copyOf(output).stream().map(listening::matcher).filter(Matcher::find).findFirst().orElseThrow();
            String base = m.group(1);
            assertThat(m.group(2)).isNotEqualTo("8080");
            assertThat(String.join("\n", output)).contains(
                    "config:       " + dir.resolve("examples/standalone/autodeploy.yml"),
                    "webhook URL:  " + base + "/hooks/github",
                    "pages:        " + base + "/deployments   (user admin and pages.password)",
                    "repositories: example/app -> production",
                    "statuses:     kept on the pages and in the log (no github.token)");

            List<String> send = new ArrayList<>(words(sendCommand.replace("http://127.0.0.1:8080", base)));
            send.set(0, javaBin());
            Process sender = new ProcessBuilder(send).directory(dir.toFile()).redirectErrorStream(true).start();
            String sent = new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sender.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(sender.exitValue()).as(sent).isZero();
            assertThat(sent).contains("-> 202");

            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("deployed/history.log")));
            String history = Files.readString(dir.resolve("deployed/history.log"));
            String sha = history.split(" ")[1];
            assertThat(history).isEqualTo("deployed " + sha + " (main) to production for octocat\n");
            assertThat(dir.resolve("deployed/" + sha)).exists();

            HttpClient http = HttpClient.newHttpClient();
            String auth = "Basic " + Base64.getEncoder().encodeToString("admin:try-it-locally".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/deployments/api"))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"state\":\"success\""));
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "/deployments"))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("example/app", sha.substring(0, 7));
            await().atMost(Duration.ofSeconds(10)).until(() -> List.copyOf(output).stream()
                    .anyMatch(l -> l.contains("is success") && l.contains("not posted")));
            // A status's log link carries the page's capability key, so the server's log never prints one.
            assertThat(List.copyOf(output)).filteredOn(l -> l.contains("not posted"))
                    .allSatisfy(l -> assertThat(l).doesNotContain("/deployments/"));

            Result refused = run("send", "ping", "--to", base + "/hooks/github", "--secret", "not-the-secret");
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
        assertThat(ok.output()).contains("is valid: 1 rule(s)", "webhook URL:  http://127.0.0.1:8080/hooks/github",
                "repositories: example/app -> production");
        assertThat(run("frobnicate").exit()).isEqualTo(2);
    }

    /**
     * A PostgreSQL that cannot be reached (a closed port): serve exits 1 with one line naming store.url,
     * the URL's password masked, no stack trace; check-config shows the store without the password.
     */
    @Test
    void serveStopsWithOneLineNamingStoreUrlWhenTheDatabaseCannotBeReached() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String password = "pg-pass-c41f9e";
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/autodeploy?user=robot&password=" + password;
        Path config = Files.writeString(dir.resolve("autodeploy.yml"), """
                github: {webhook_secret: hook-secret-1}
                store: {url: "%s"}
                repos:
                  octo/app: {folder: %s, commands: [[make, deploy]]}
                """.formatted(url, dir));
        String masked = "jdbc:postgresql://127.0.0.1:" + closed + "/autodeploy?user=robot&password=***";

        Result served = run("serve", "--config", config.toString(), "--port", "0");
        assertThat(served.exit()).as(served.output()).isEqualTo(1);
        assertThat(served.output()).doesNotContain(password, "Exception", "\tat ");
        assertThat(served.output().lines().filter(l -> l.contains("store.url")).toList()).singleElement().asString()
                .contains("cannot reach the store at " + masked + " (store.url)");

        Result checked = run("check-config", config.toString());
        assertThat(checked.exit()).as(checked.output()).isZero();
        assertThat(checked.output()).contains("store:        PostgreSQL at " + masked).doesNotContain(password);
    }
}
