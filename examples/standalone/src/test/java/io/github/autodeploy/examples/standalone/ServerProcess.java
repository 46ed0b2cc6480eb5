package io.github.autodeploy.examples.standalone;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone jar serving in a process of its own, as an operator starts it ({@code serve --config
 * FILE --port 0}), with its output kept and echoed with a prefix; {@link #kill()} is a {@code kill -9}.
 * Thread-safe.
 */
final class ServerProcess implements AutoCloseable {
    static final Path JAR = Path.of("target/autodeploy-standalone.jar").toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)/hooks/github");
    private final String name;
    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;
    private final String base;

    private ServerProcess(String name, Path config, Map<String, String> env) throws IOException {
        this.name = name;
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "serve", "--config", config.toString(), "--port", "0")
                .directory(config.getParent().toFile()).redirectErrorStream(true);
        pb.environment().remove("GITHUB_TOKEN");
        pb.environment().remove("PUBLIC_URL");
        pb.environment().putAll(env);
        process = pb.start();
        reader = new Thread(this::read, "output of " + name);
        reader.setDaemon(true);
        reader.start();
        await("server " + name + " listening").atMost(Duration.ofSeconds(90))
                .until(() -> !process.isAlive() || List.copyOf(output).stream().anyMatch(l -> LISTENING.matcher(l).find()));
        if (!process.isAlive()) {
            throw new IllegalStateException("server " + name + " stopped at start:\n" + String.join("\n", output));
        }
        Matcher m = List.copyOf(output).stream().map(LISTENING::matcher).filter(Matcher::find).findFirst().orElseThrow();
        base = m.group(1);
    }

    /** Starts {@code serve} on {@code config} (run from the config's folder) and waits until it listens. */
    static ServerProcess start(String name, Path config, Map<String, String> env) throws IOException {
        return new ServerProcess(name, config, env);
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                System.out.println("[" + name + "] " + line);
            }
        } catch (IOException e) {
            output.add("reader stopped: " + e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    String base() {
        return base;
    }

    String hook() {
        return base + "/hooks/github";
    }

    long pid() {
        return process.pid();
    }

    List<String> output() {
        return List.copyOf(output);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs, nothing is closed; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server " + name + " outlived SIGKILL for 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        reader.join(5_000);
    }
}
