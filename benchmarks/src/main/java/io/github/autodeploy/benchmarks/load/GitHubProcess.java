package io.github.autodeploy.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link FakeGitHub} in a JVM of its own, as {@link SideBySide} uses it. In the harness's own JVM, the
 * statuses the robot posts (about two per delivery, a thousand a second at the latency rounds' rate)
 * were served beside the load client: the fake's collections, JIT and threads stalled the client, and
 * the stall was charged to the robot's answers (the peer posts no statuses, so it was never charged).
 * The fake is warmed up before it is handed out, as the real GitHub is warm. Not thread-safe.
 */
final class GitHubProcess implements AutoCloseable {
    /** Statuses posted to the fake before the first server sees it: enough for its Tomcat's request path to be compiled. */
    static final int WARM_UP_POSTS = 3_000;
    /** How long the fake may take to print its address. */
    static final Duration START_LIMIT = Duration.ofSeconds(60);
    /** How long one call to the fake may take. */
    static final Duration CALL_LIMIT = Duration.ofSeconds(10);
    private static final Pattern STATE = Pattern.compile("\"state\":\"([a-z_]+)\"");
    private final Process process;
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private GitHubProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** Starts the fake with the harness's own Java and class path, waits for its address, and warms it up with {@code warmUpPosts} statuses. */
    static GitHubProcess start(int warmUpPosts) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), FakeGitHub.class.getName());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        GitHubProcess github;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            // Bounded like every wait of the harness: a fake that never prints its address is killed after a minute.
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String line;
            try {
                line = first.get(START_LIMIT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the fake GitHub printed no address within " + START_LIMIT.toSeconds() + " s", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the fake GitHub's output could not be read: " + e.getCause(), e);
            }
            if (line == null || !line.startsWith(FakeGitHub.READY)) {
                throw new IllegalStateException("the fake GitHub did not start: it printed " + line);
            }
            github = new GitHubProcess(process, line.substring(FakeGitHub.READY.length()).strip());
        } catch (RuntimeException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
        try {
            github.warmUp(warmUpPosts);
        } catch (IOException | RuntimeException | InterruptedException e) {
            github.close();
            throw e;
        }
        return github;
    }

    /** Posts {@code posts} statuses to a deployment no server uses (id 1, below every delivery's). */
    private void warmUp(int posts) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/repos/warm/up/deployments/1/statuses"))
                .timeout(CALL_LIMIT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"queued\",\"description\":\"warm-up\"}")).build();
        for (int i = 0; i < posts; i++) {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 201) {
                throw new IllegalStateException("the fake GitHub answered a warm-up status " + status);
            }
        }
    }

    /** Its API address, for {@code github.api_url}. */
    String url() {
        return url;
    }

    /** The state of the last status posted for deployment {@code id}, if any. */
    Optional<String> lastState(long id) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + "/_fake/states/" + id)).timeout(CALL_LIMIT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 404) {
            return Optional.empty();
        }
        Matcher m = STATE.matcher(answer.body());
        if (answer.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("the fake GitHub answered " + answer.statusCode() + ": " + answer.body());
        }
        return Optional.of(m.group(1));
    }

    /** Whether the fake's process still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the fake: its standard input closes, then it is killed if it has not gone within 5 s. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // gone already
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
