package io.github.autodeploy.examples.standalone;

import io.github.autodeploy.assembly.RobotAssembly;
import io.github.autodeploy.assembly.StoreUnavailableException;
import io.github.autodeploy.config.ConfigFileException;
import io.github.autodeploy.config.FlaskConfigImport;
import io.github.autodeploy.config.PythonSyntaxException;
import io.github.autodeploy.config.LoadedConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code autodeploy} command: {@code serve} runs the robot, {@code check-config} lists every
 * problem of a file, {@code import-flask-config} translates the Flask robot's config.py, {@code send}
 * posts a signed example webhook, {@code lock} and {@code unlock} steer a running robot. Exit codes: 0 fine, 1 the work
 * failed (problems found, a delivery or a lock refused), 2 the command line was wrong.
 */
public final class Main {
    /** A method, not a constant: the sample events it names load a JSON mapper, which {@code serve} need not wait for. */
    static String usage() {
        return """
            usage:
              autodeploy serve --config FILE [--port N] [--host ADDRESS] [--metrics-port N]
                  Runs the robot: the webhook at /hooks/github, the pages at /deployments
                  (environments at /deployments/environments),
                  /healthz and /readyz for probes. The host defaults to 127.0.0.1; use
                  --host 0.0.0.0 to take GitHub's deliveries. --metrics-port serves Prometheus
                  metrics at /metrics on that port (pages credential needed); off without it.
              autodeploy training-run [--native-dir DIR]
                  Starts and stops a throwaway robot (its own SQLite store in a temporary folder, port
                  0 on 127.0.0.1) and sends it a probe and a signed ping, so that a JVM started with
                  -XX:ArchiveClassesAtExit=FILE archives the classes a start loads. The autodeploy
                  script beside the jar does it before the first serve. --native-dir: also copies
                  SQLite's native library for this machine out of the jar into DIR, which the script
                  then names to the server (-Dorg.sqlite.lib.path), so that a start neither unpacks it
                  into the temporary folder nor runs a program to learn the operating system.
              autodeploy check-config FILE
                  Prints every problem of FILE with its line; exits 1 when there is any.
              autodeploy import-flask-config config.py
                  Prints the autodeploy.yml equivalent to the Flask robot's config.py (nothing in it is run);
                  what it cannot translate goes to stderr with its line, and the exit code is 1.
              autodeploy send EVENT --to URL --secret SECRET [--repo OWNER/NAME] [--sha SHA] [--ref BRANCH]
                              [--environment ENV] [--id N] [--user LOGIN] [--state STATE] [--context NAME]
                              [--run N] [--installation N] [--api-url URL]
                  Posts a signed, realistic GitHub webhook. EVENT: %s.
                  deployment_protection_rule: --run (a new one unless given) and --installation name the
                  workflow run and the App installation; its callback URL is on --api-url
                  (https://api.github.com), which must be the robot's github.api_url.
            %s""".formatted(Sender.events(), LockCommand.USAGE);
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        launchStepsDirectly();
        int code = run(args, System.out, System.err, System.getenv());
        if (code != 0 || args.length > 0 && args[0].equals("training-run")) {
            // A training run ends here, whatever threads it left, so that its class-data archive is written.
            System.exit(code);
        }
    }

    /**
     * On Linux, Java 17 to 21, steps' processes start by vfork and exec (the JDK's default there until
     * Java 12) rather than through the {@code jspawnhelper} program: one exec fewer between a delivery and
     * its first command. Set before the JVM starts its first process; {@code -Djdk.lang.Process.launchMechanism}
     * given on the command line wins.
     */
    static void launchStepsDirectly() {
        int feature = Runtime.version().feature();
        if (System.getProperty("os.name", "").startsWith("Linux") && feature >= 17 && feature <= 21
                && System.getProperty("jdk.lang.Process.launchMechanism") == null) {
            System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            out.print(usage());
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("lock") || args[0].equals("unlock")) {
            return LockCommand.run(args[0], List.of(args).subList(1, args.length), out, err, env);
        }
        Map<String, String> options = new HashMap<>();
        List<String> positional = new java.util.ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    err.println(args[i] + " needs a value\n" + usage());
                    return 2;
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        switch (args[0]) {
            case "training-run":
                int trained = trainingRun(out, err);
                if (trained == 0 && options.containsKey("native-dir")) {
                    try {
                        out.println("SQLite's native library copied to " + SqliteLibrary.copyInto(Path.of(options.get("native-dir"))));
                    } catch (java.io.IOException e) {
                        // The server then loads it as sqlite-jdbc does by itself; the archive is still worth having.
                        err.println("training run: SQLite's native library was not copied: " + e.getMessage());
                    }
                }
                return trained;
            case "serve":
                return serve(options, out, err, env);
            case "check-config":
                if (positional.size() != 1) {
                    err.print("check-config takes one file\n" + usage());
                    return 2;
                }
                return checkConfig(Path.of(positional.get(0)), out, env);
            case "import-flask-config":
                if (positional.size() != 1) {
                    err.print("import-flask-config takes one file\n" + usage());
                    return 2;
                }
                return importFlaskConfig(Path.of(positional.get(0)), out, err);
            case "send":
                if (positional.size() != 1 || !options.containsKey("to") || !options.containsKey("secret")) {
                    err.print("send takes an EVENT, --to and --secret\n" + usage());
                    return 2;
                }
                return send(positional.get(0), options, out, err);
            default:
                err.print("unknown command " + args[0] + "\n" + usage());
                return 2;
        }
    }

    private static int checkConfig(Path file, PrintStream out, Map<String, String> env) {
        List<String> problems = RobotAssembly.check(file, env);
        if (problems.isEmpty()) {
            LoadedConfig c = RobotAssembly.load(file, env);
            out.println(file + " is valid: " + c.robot().rules().size() + " rule(s)");
            String base = "http://127.0.0.1:" + c.server().port();
            Summary.lines(file, c.reachedAt(base), base).forEach(out::println);
            return 0;
        }
        out.println(file + " has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":");
        problems.forEach(p -> out.println("  " + p));
        return 1;
    }

    /** The largest config.py import-flask-config reads. */
    static final long MAX_FLASK_CONFIG_BYTES = 1L << 20;

    private static int importFlaskConfig(Path file, PrintStream out, PrintStream err) {
        String text;
        try {
            long size = java.nio.file.Files.size(file);
            if (size > MAX_FLASK_CONFIG_BYTES) {
                err.println(file + ": is " + size + " bytes; a Flask robot's config.py is a few kilobytes, and this reads at most "
                        + MAX_FLASK_CONFIG_BYTES + " (1 MiB)");
                return 2;
            }
            byte[] bytes = java.nio.file.Files.readAllBytes(file);
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            err.println(file + ": is not UTF-8 text");
            return 2;
        } catch (java.io.IOException e) {
            err.println(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            return 2;
        }
        FlaskConfigImport.Translation t;
        try {
            t = FlaskConfigImport.translate(file.toString(), text);
        } catch (PythonSyntaxException e) {
            err.println(e.getMessage());
            return 2;
        }
        out.print(t.yaml());
        t.notes().forEach(n -> err.println("note: " + n));
        t.byHand().forEach(err::println);
        return t.byHand().isEmpty() ? 0 : 1;
    }

    private static int serve(Map<String, String> options, PrintStream out, PrintStream err, Map<String, String> env) throws Exception {
        if (!options.containsKey("config")) {
            err.print("serve needs --config FILE\n" + usage());
            return 2;
        }
        StandaloneServer.prepareInBackground();
        LoadedConfig config;
        try {
            config = RobotAssembly.load(Path.of(options.get("config")), env);
        } catch (ConfigFileException e) {
            err.println(e.getMessage());
            return 1;
        }
        int port;
        try {
            port = Integer.parseInt(options.getOrDefault("port", Integer.toString(config.server().port())));
        } catch (NumberFormatException e) {
            err.print("--port takes a number from 0 to 65535\n" + usage());
            return 2;
        }
        OptionalInt metricsPort = OptionalInt.empty();
        if (options.containsKey("metrics-port")) {
            try {
                metricsPort = OptionalInt.of(Integer.parseInt(options.get("metrics-port")));
            } catch (NumberFormatException e) {
                err.print("--metrics-port takes a number from 0 to 65535\n" + usage());
                return 2;
            }
        }
        String host = options.getOrDefault("host", "127.0.0.1");
        if (config.server().pagesOpen() && !loopback(host)) {
            // pages.open is for a host application that guards /deployments itself; this server has none.
            err.println("pages.open: true leaves the pages, their actions and /metrics open to everyone as an admin, and "
                    + "this server has no application in front of them; with --host " + host + " it does not start. Name users "
                    + "under access.users (or set pages.token), or keep --host on 127.0.0.1 behind a proxy that checks who asks");
            return 1;
        }
        StandaloneServer server;
        try {
            server = StandaloneServer.start(config, host, port, metricsPort);
        } catch (StoreUnavailableException | io.github.autodeploy.assembly.GitHubAppKeyException e) {
            err.println(e.getMessage());
            return 1;
        } catch (org.apache.catalina.LifecycleException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            err.println("could not listen on " + host + ":" + port + metricsPort.stream().mapToObj(p -> " and " + p)
                    .findFirst().orElse("") + " (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + "); is another robot running there?");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                err.println("stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "autodeploy-shutdown"));
        String base = server.baseUrl();
        Summary.lines(Path.of(options.get("config")), server.wired().config(), base).forEach(out::println);
        out.println("Autodeploy is listening on " + base + "/hooks/github (pages: " + base + "/deployments)");
        server.metricsPort().ifPresent(p -> out.println("Metrics: http://" + host + ":" + p + "/metrics (pages credential)"));
        out.flush();
        stopped.await();
        return 0;
    }

    /** The start of a training run's temporary folder's name: this process's pid in it, so that runs side by side are told apart. */
    static final String TRAINING_FOLDER_PREFIX = "autodeploy-training-" + ProcessHandle.current().pid() + "-";

    /**
     * Serves twice as {@code serve} does, on throwaway configurations with a token for a GitHub API on 127.0.0.1
     * ({@link TrainingGitHub}): a SQLite store (the default) in a temporary folder, a probe of {@code /healthz}, a
     * signed {@code ping} and a {@code deployment} (running {@code true}) to the webhook, until its {@code success}
     * status is posted; then the in-memory store, until its start has asked GitHub for unfinished deployments. It
     * loads the classes a start, a first delivery and the GitHub client load; nothing of the user's (store, folders)
     * is touched.
     */
    private static int trainingRun(PrintStream out, PrintStream err) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(TRAINING_FOLDER_PREFIX);
        java.time.Duration wait = java.time.Duration.ofSeconds(30);
        try (TrainingGitHub github = TrainingGitHub.start()) {
            LoadedConfig config = RobotAssembly.load(trainingConfig(dir, github, "jdbc:sqlite:" + dir.resolve("autodeploy.db")), Map.of());
            try (StandaloneServer server = StandaloneServer.start(config, "127.0.0.1", 0)) {
                java.net.HttpURLConnection probe = (java.net.HttpURLConnection)
                        java.net.URI.create(server.baseUrl() + "/healthz").toURL().openConnection();
                int health = probe.getResponseCode();
                probe.disconnect();
                Sender.Answer ping = Sender.send(server.baseUrl() + "/hooks/github", "ping", "training-run-only",
                        Sender.payload("ping", Map.of()));
                Sender.Answer deployment = Sender.send(server.baseUrl() + "/hooks/github", "deployment", "training-run-only",
                        Sender.payload("deployment", Map.of("repo", "octo/training", "environment", "production")));
                if (health != 200 || ping.status() / 100 != 2 || deployment.status() / 100 != 2) {
                    err.println("training run: /healthz answered " + health + ", the ping " + ping.status() + ", the deployment "
                            + deployment.status() + " " + deployment.body());
                    return 1;
                }
                if (!github.awaitSuccess(wait)) {
                    err.println("training run: the deployment's success status was not posted within " + wait.toSeconds() + " s");
                    return 1;
                }
            }
            try (StandaloneServer server = StandaloneServer.start(
                    RobotAssembly.load(trainingConfig(dir.resolve("memory"), github, "memory"), Map.of()), "127.0.0.1", 0)) {
                if (!github.awaitRead(wait)) {
                    err.println("training run: the in-memory robot did not ask GitHub for unfinished deployments within "
                            + wait.toSeconds() + " s");
                    return 1;
                }
            }
            out.println("training run done");
            return 0;
        } finally {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
                for (java.nio.file.Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
        }
    }

    /** A training run's configuration file in {@code dir}: one repository running {@code true}, the store at {@code storeUrl}. */
    private static java.nio.file.Path trainingConfig(java.nio.file.Path dir, TrainingGitHub github, String storeUrl)
            throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Path file = dir.resolve("autodeploy.yml");
        java.nio.file.Files.writeString(file, """
                github:
                  api_url: %s
                  token: ghp_training_run_only_not_a_token
                  webhook_secret: training-run-only
                pages:
                  open: true
                store:
                  url: "%s"
                repos:
                  octo/training:
                    folder: "%s"
                    required_contexts: []
                    commands:
                      - ["true"]
                """.formatted(github.url(), storeUrl, dir));
        return file;
    }

    /** Whether {@code host} only listens on this machine. */
    private static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static int send(String event, Map<String, String> options, PrintStream out, PrintStream err) throws Exception {
        Sender.Answer a;
        try {
            a = Sender.send(options.get("to"), event, options.get("secret"), Sender.payload(event, options));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("could not reach " + options.get("to") + ": " + e.getMessage());
            return 1;
        }
        out.println(event + " (delivery " + a.delivery() + ") -> " + a.status() + " " + a.body());
        return a.status() / 100 == 2 ? 0 : 1;
    }
}
