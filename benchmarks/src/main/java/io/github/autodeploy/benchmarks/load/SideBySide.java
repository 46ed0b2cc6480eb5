package io.github.autodeploy.benchmarks.load;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The standalone server against the peer ({@code webhook}, adnanh/webhook as Debian ships it: checks
 * the HMAC-SHA256 of the body and spawns {@code /bin/true}), both on 127.0.0.1, driven with the same
 * signed 7 KB {@code deployment} deliveries, rounds interleaved (peer, Autodeploy, peer, ...), every
 * loop bounded in time. The statuses the robot posts go to a fake GitHub in a JVM of its own
 * ({@link GitHubProcess}), so they take no time from the load client's. Prints one table: metric, peer, Autodeploy, ratio. {@code benchmarks/README.md}
 * says what each row measures; {@code benchmarks/side-by-side.sh} builds and runs it.
 *
 * <p>Options: {@code --smoke} (1-second rounds, tiny counts, no peer when {@code webhook} is absent:
 * proves the harness works, its numbers mean nothing), {@code --jar FILE} [the standalone jar] or
 * {@code --classpath CP} (runs its {@code Main} from a class path), {@code --seconds 10} (each wrk round),
 * {@code --rounds 2}, {@code --rate 500}, {@code --latency-seconds 10}, {@code --connections 8} (the latency client's sockets),
 * {@code --server-opts "-XX:+PreserveFramePointer"} (more JVM options for every Autodeploy server, words split on spaces, e.g. for
 * {@code perf record -g} or to try a flag), {@code --warmup-seconds 5} (an unrecorded wrk round per server first; 0: none), {@code --samples 20},
 * {@code --output-bytes 1073741824}, {@code --pool-rate 12000} (signed bodies made per second of a wrk
 * round: wrk has no HMAC, so it cycles through files of bodies signed ahead; past them it reuses
 * one and says so), {@code --postgres-url URL} [{@code AUTODEPLOY_TEST_POSTGRES_URL}], {@code --only-to-command}
 * (only the delivery-to-command rows, memory and SQLite: 5 rounds' worth unrecorded, then {@code --rounds}),
 * {@code --only-output} (only the output row: {@code --rounds} rounds of the bare pipe, then a new -Xmx64m server),
 * {@code --only-latency} (only the p99 rows: a new in-memory server, its first round, then {@code --rounds} warm rounds),
 * {@code --only-throughput} (only the durable stores' deliveries/s rows: SQLite, and PostgreSQL when a URL is given). Not thread-safe:
 * one run per process.
 */
public final class SideBySide {
    static final String SECRET = LoadedRobot.SECRET;
    /** The stamping command: appends {@code "$1 <epoch ns>"} to the file {@code $2}. */
    static final String STAMP = """
            #!/bin/bash
            if [ -n "$EPOCHREALTIME" ]; then now="${EPOCHREALTIME/./}000"; else now="$(date +%s%N)"; fi
            echo "$1 $now" >> "$2"
            """;
    private static final Pattern OK = Pattern.compile("SIDEBYSIDE ok=(\\d+) other=(\\d+) wrapped=(\\d+)");
    /** What this run does; its launcher is dropped when the jar cannot make a class-data archive (an older build). */
    private Options o;
    private final Path folder;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, List<Double>> peer = new LinkedHashMap<>();
    private final Map<String, List<Double>> robot = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private long nextId = System.currentTimeMillis() * 1000;
    private boolean peerWarm;

    /** What a run does; see the class comment for the options. */
    record Options(boolean smoke, List<String> server, Optional<Path> launcher, int seconds, int rounds, int rate, int latencySeconds, int samples,
                   long outputBytes, int poolRate, Optional<String> postgres, boolean onlyToCommand,
                   boolean onlyOutput, boolean onlyLatency, int connections, int warmupSeconds, boolean onlyThroughput,
                   List<String> serverOptions) {
        Options {
            server = List.copyOf(server);
            serverOptions = List.copyOf(serverOptions);
            java.util.Objects.requireNonNull(launcher, "launcher");
            if (seconds < 1 || rounds < 1 || rate < 1 || latencySeconds < 1 || samples < 1 || outputBytes < 1 || poolRate < 1
                    || connections < 1 || warmupSeconds < 0) {
                throw new IllegalArgumentException("every count and length must be positive");
            }
        }

        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            boolean smoke = false;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--smoke")) {
                    smoke = true;
                } else if (args[i].equals("--only-to-command")) {
                    m.put("only-to-command", "true");
                } else if (args[i].equals("--only-output")) {
                    m.put("only-output", "true");
                } else if (args[i].equals("--only-latency")) {
                    m.put("only-latency", "true");
                } else if (args[i].equals("--only-throughput")) {
                    m.put("only-throughput", "true");
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    m.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("options are --smoke, --only-to-command, --only-output, --only-latency, --only-throughput and --name value; got \"" + args[i] + "\"");
                }
            }
            List<String> server = m.containsKey("classpath")
                    ? List.of("-cp", m.get("classpath"), "io.github.autodeploy.examples.standalone.Main")
                    : List.of("-jar", Path.of(m.getOrDefault("jar", "examples/standalone/target/autodeploy-standalone.jar"))
                    .toAbsolutePath().toString());
            // The README's way to run the server (the launcher script beside the jar's module) unless told otherwise;
            // a class path has no jar for it, and "--launcher none" starts plain java -jar.
            Path script = Path.of(m.getOrDefault("launcher", "examples/standalone/autodeploy")).toAbsolutePath();
            Optional<Path> launcher = m.containsKey("classpath") || m.getOrDefault("launcher", "").equals("none")
                    || !Files.isExecutable(script) ? Optional.empty() : Optional.of(script);
            Optional<String> postgres = Optional.ofNullable(m.getOrDefault("postgres-url", System.getenv("AUTODEPLOY_TEST_POSTGRES_URL")))
                    .filter(u -> !u.isBlank());
            return new Options(smoke, server, launcher,
                    Integer.parseInt(m.getOrDefault("seconds", smoke ? "1" : "10")),
                    Integer.parseInt(m.getOrDefault("rounds", smoke ? "1" : "2")),
                    Integer.parseInt(m.getOrDefault("rate", smoke ? "50" : "500")),
                    Integer.parseInt(m.getOrDefault("latency-seconds", smoke ? "1" : "10")),
                    Integer.parseInt(m.getOrDefault("samples", smoke ? "3" : "20")),
                    Long.parseLong(m.getOrDefault("output-bytes", smoke ? Long.toString(8 << 20) : Long.toString(1L << 30))),
                    Integer.parseInt(m.getOrDefault("pool-rate", smoke ? "2000" : "12000")), postgres,
                    m.containsKey("only-to-command"), m.containsKey("only-output"), m.containsKey("only-latency"),
                    Integer.parseInt(m.getOrDefault("connections", "8")),
                    Integer.parseInt(m.getOrDefault("warmup-seconds", smoke ? "1" : "5")), m.containsKey("only-throughput"),
                    List.of(m.getOrDefault("server-opts", "").trim().split("\\s+")).stream().filter(w -> !w.isEmpty()).toList());
        }

        /** The same options, with the server started by {@code launcher} (or plain {@code java -jar} when empty). */
        Options withLauncher(Optional<Path> launcher) {
            return new Options(smoke, server, launcher, seconds, rounds, rate, latencySeconds, samples, outputBytes, poolRate,
                    postgres, onlyToCommand, onlyOutput, onlyLatency, connections, warmupSeconds, onlyThroughput, serverOptions);
        }

        /** The jar that {@code --jar} names; empty with {@code --classpath}. */
        Optional<String> jar() {
            return server.get(0).equals("-jar") ? Optional.of(server.get(1)) : Optional.empty();
        }
    }

    /** One line of the table; a cell is {@code -} when not measured. */
    public record Row(String metric, String peer, String autodeploy, String ratio) {
    }

    private SideBySide(Options o, Path folder) {
        this.o = o;
        this.folder = folder;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        java.util.logging.Logger.getLogger("org.apache").setLevel(java.util.logging.Level.SEVERE);
        List<Row> rows = run(Options.parse(args), System.out::println);
        System.out.println();
        System.out.print(format(rows));
    }

    /** Runs everything, reporting progress to {@code log}; the table's rows. */
    static List<Row> run(Options o, java.util.function.Consumer<String> log) throws Exception {
        if (!onPath("wrk")) {
            throw new IllegalStateException("wrk is not installed: apt-get install -y wrk (benchmarks/side-by-side.sh does it)");
        }
        boolean withPeer = onPath("webhook");
        if (!withPeer && !o.smoke()) {
            throw new IllegalStateException("webhook is not installed: apt-get install -y webhook (benchmarks/side-by-side.sh does it)");
        }
        Path folder = Files.createTempDirectory("autodeploy-side-by-side");
        try {
            SideBySide s = new SideBySide(o, folder);
            s.measure(withPeer, log);
            return s.table(withPeer);
        } finally {
            delete(folder);
        }
    }

    private void measure(boolean withPeer, java.util.function.Consumer<String> log) throws Exception {
        log.accept(String.format(Locale.ROOT, "side by side%s: %d cores, Java %s, wrk -t2 -c16 -d%ds x %d rounds, %d/s for %ds, "
                        + "%d samples, %d bytes of output", o.smoke() ? " (smoke: the numbers mean nothing)" : "",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), o.seconds(), o.rounds(), o.rate(),
                o.latencySeconds(), o.samples(), o.outputBytes()));
        prepareLauncher(log);
        Path stamp = folder.resolve("stamp.sh");
        // bash's EPOCHREALTIME (5.0+) reads the clock without starting `date`, so the stamp is taken about
        // a shell's start after the exec instead of two process starts after it; older shells fall back to date.
        Files.writeString(stamp, STAMP);
        Files.setPosixFilePermissions(stamp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (GitHubProcess github = GitHubProcess.start(o.smoke() ? 50 : GitHubProcess.WARM_UP_POSTS); Peer p = withPeer ? Peer.start(folder, stamp) : null) {
            if (o.onlyToCommand()) {
                toCommandOnly(github, p, stamp, log);
                return;
            }
            if (o.onlyOutput()) {
                for (int r = 0; r < o.rounds(); r++) {
                    output(github, log);
                }
                return;
            }
            if (o.onlyLatency()) {
                try (Server memory = Server.start(o, folder.resolve("memory"), "memory", github.url(), stamp, List.of())) {
                    latencyRounds(p, memory, log);
                }
                return;
            }
            if (o.onlyThroughput()) {
                durableThroughput(github, p, stamp, log);
                return;
            }
            if (p != null) {
                record(peer, "start", p.startMillis);
            }
            if (o.launcher().isPresent()) {
                // For comparison: the same server started as plain java -jar, without the launcher's options and archive.
                try (Server plain = Server.start(o.withLauncher(Optional.empty()), folder.resolve("plain"), "memory", github.url(),
                        stamp, List.of())) {
                    record(robot, "start plain", plain.startMillis);
                }
            }
            try (Server memory = Server.start(o, folder.resolve("memory"), "memory", github.url(), stamp, List.of())) {
                record(robot, "start", memory.startMillis);
                sleep(o.smoke() ? Duration.ofMillis(300) : Duration.ofSeconds(3));
                if (p != null) {
                    record(peer, "threads", threads(p.process.pid()));
                    record(peer, "rss", rssMb(p.process.pid()));
                }
                record(robot, "threads", threads(memory.process.pid()));
                record(robot, "rss", rssMb(memory.process.pid()));
                record(robot, "heap", heapMb(memory.process.pid()));
                log.accept("idle: " + robot);
                latencyRounds(p, memory, log);
                if (p != null) {
                    record(peer, "to command", toCommand(URI.create(p.base + "/hooks/stamp"), p.stamps));
                }
                record(robot, "to command", toCommand(memory.hook, memory.stamps));
                log.accept("delivery to command: peer " + peer.get("to command") + ", autodeploy " + robot.get("to command"));
            }
            try (Server sqlite = Server.start(o, folder.resolve("sqlite"), "jdbc:sqlite:" + folder.resolve("sqlite/store/autodeploy.db"),
                    github.url(), stamp, List.of())) {
                record(robot, "start", sqlite.startMillis);
                throughput("sqlite", p, sqlite, log);
                record(robot, "to command sqlite", toCommand(sqlite.hook, sqlite.stamps));
                log.accept("delivery to command, SQLite: autodeploy " + robot.get("to command sqlite"));
            }
            // The same with store.sync: normal (survives a killed process, not a power cut): what the disk's sync costs.
            Optional<Server> normal;
            try {
                normal = Optional.of(Server.start(o, folder.resolve("sqlite-normal"),
                        "jdbc:sqlite:" + folder.resolve("sqlite-normal/store/autodeploy.db"), github.url(), stamp, List.of(),
                        "\n  sync: normal"));
            } catch (IllegalStateException e) {
                normal = Optional.empty(); // a jar from before store.sync refuses the key: the row stays empty
                notes.add("SQLite with store.sync: normal: not measured, the server did not start with it");
            }
            if (normal.isPresent()) {
                try (Server sqlite = normal.get()) {
                    throughput("sqlite normal", p, sqlite, log);
                }
            }
            if (o.postgres().isPresent()) {
                try (Server pg = Server.start(o, folder.resolve("postgres"), o.postgres().get(), github.url(), stamp, List.of())) {
                    record(robot, "start", pg.startMillis);
                    throughput("postgres", p, pg, log);
                }
            } else {
                notes.add("PostgreSQL: not measured (set AUTODEPLOY_TEST_POSTGRES_URL)");
            }
            output(github, log);
        }
    }

    /** {@code --only-throughput}: the wrk rounds on SQLite and (with a URL) PostgreSQL, interleaved with the peer. */
    private void durableThroughput(GitHubProcess github, Peer p, Path stamp, java.util.function.Consumer<String> log) throws Exception {
        try (Server sqlite = Server.start(o, folder.resolve("sqlite"), "jdbc:sqlite:" + folder.resolve("sqlite/store/autodeploy.db"),
                github.url(), stamp, List.of())) {
            throughput("sqlite", p, sqlite, log);
        }
        if (o.postgres().isPresent()) {
            try (Server pg = Server.start(o, folder.resolve("postgres"), o.postgres().get(), github.url(), stamp, List.of())) {
                throughput("postgres", p, pg, log);
            }
        }
    }

    /**
     * The first latency round right after start, then (in a full run, after the in-memory wrk rounds) the
     * warm ones, peer and Autodeploy interleaved.
     */
    private void latencyRounds(Peer p, Server memory, java.util.function.Consumer<String> log) throws Exception {
        if (p != null) {
            record(peer, "p99 first", latency(p.hook, "peer first", 200, log).latency().getValueAtPercentile(99) / 1000.0);
        }
        record(robot, "p99 first", latency(memory.hook, "autodeploy first", 202, log).latency().getValueAtPercentile(99) / 1000.0);
        if (!o.onlyLatency()) {
            throughput("memory", p, memory, log);
        }
        for (int r = 0; r < o.rounds(); r++) {
            if (p != null) {
                record(peer, "p99 warm", latency(p.hook, "peer warm", 200, log).latency().getValueAtPercentile(99) / 1000.0);
            }
            record(robot, "p99 warm", latency(memory.hook, "autodeploy warm", 202, log).latency().getValueAtPercentile(99) / 1000.0);
        }
        log.accept("latency: peer " + only(peer, "p99") + ", autodeploy " + only(robot, "p99"));
    }

    /** {@code --only-to-command}: delivery to first command on the memory and SQLite stores, rounds interleaved with the peer. */
    private void toCommandOnly(GitHubProcess github, Peer p, Path stamp, java.util.function.Consumer<String> log) throws Exception {
        try (Server memory = Server.start(o, folder.resolve("memory"), "memory", github.url(), stamp, List.of());
             Server sqlite = Server.start(o, folder.resolve("sqlite"), "jdbc:sqlite:" + folder.resolve("sqlite/store/autodeploy.db"),
                     github.url(), stamp, List.of())) {
            // Unrecorded deliveries first (5 rounds' worth): the servers' code paths are cold right after start,
            // while the full run measures this row after its load rounds.
            int warmup = o.samples() * 5;
            if (p != null) {
                toCommand(URI.create(p.base + "/hooks/stamp"), p.stamps, warmup);
            }
            toCommand(memory.hook, memory.stamps, warmup);
            toCommand(sqlite.hook, sqlite.stamps, warmup);
            for (int r = 0; r < o.rounds(); r++) {
                if (p != null) {
                    record(peer, "to command", toCommand(URI.create(p.base + "/hooks/stamp"), p.stamps));
                }
                record(robot, "to command", toCommand(memory.hook, memory.stamps));
                record(robot, "to command sqlite", toCommand(sqlite.hook, sqlite.stamps));
            }
            log.accept("delivery to command: peer " + peer.get("to command") + ", autodeploy memory " + robot.get("to command")
                    + ", sqlite " + robot.get("to command sqlite"));
        }
    }

    /**
     * Interleaved wrk rounds, a new pool of signed bodies before each pair; first an unrecorded warm-up
     * round of {@code --warmup-seconds} for the server (and, once, the peer), as the JIT compiles for the
     * first seconds of load: the cold start has rows of its own.
     */
    private void throughput(String store, Peer p, Server server, java.util.function.Consumer<String> log) throws Exception {
        if (o.warmupSeconds() > 0) {
            pool();
            if (p != null && !peerWarm) {
                wrk(p.hook, 200, "peer warm-up", o.warmupSeconds(), log);
                peerWarm = true;
            }
            wrk(server.hook, 202, "autodeploy " + store + " warm-up", o.warmupSeconds(), log);
        }
        for (int r = 0; r < o.rounds(); r++) {
            pool();
            if (p != null) {
                record(peer, "rps " + store, wrk(p.hook, 200, "peer " + store, log));
            }
            record(robot, "rps " + store, wrk(server.hook, 202, "autodeploy " + store, log));
        }
    }

    /**
     * Writes {@code pool-rate x seconds} newly signed bodies, half for each wrk thread: the first built by
     * {@link Webhooks}, the others from it with the deployment id and sha replaced (the same length, as ids
     * count up from the clock), each signed anew.
     */
    private void pool() throws IOException {
        int count = o.poolRate() * o.seconds();
        Webhooks.Delivery first = new Webhooks(SECRET, nextId, 7 * 1024).next();
        nextId += count + 1;
        String template = new String(first.body(), StandardCharsets.UTF_8);
        String idText = Long.toString(first.deploymentId());
        String shaText = sha(first.deploymentId());
        String run = Long.toHexString(first.deploymentId());
        try (OutputStream a = new BufferedOutputStream(Files.newOutputStream(folder.resolve("bodies-0.txt")), 1 << 16);
             OutputStream b = new BufferedOutputStream(Files.newOutputStream(folder.resolve("bodies-1.txt")), 1 << 16)) {
            for (int i = 0; i < count; i++) {
                long id = first.deploymentId() + i;
                byte[] body = template.replace(idText, Long.toString(id)).replace(shaText, sha(id)).getBytes(StandardCharsets.UTF_8);
                String signature = io.github.autodeploy.github.sample.SampleWebhooks.signature(SECRET, body);
                OutputStream out = i % 2 == 0 ? a : b;
                out.write(("pool-" + run + "-" + i + " " + signature + " " + body.length + "\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
            }
        }
    }

    private static String sha(long id) {
        String hex = Long.toHexString(id);
        return "0".repeat(40 - hex.length()) + hex;
    }

    /** Runs wrk with the cycling script; answers with {@code expected} per second. */
    private double wrk(URI hook, int expected, String what, java.util.function.Consumer<String> log) throws Exception {
        return wrk(hook, expected, what, o.seconds(), log);
    }

    private double wrk(URI hook, int expected, String what, int seconds, java.util.function.Consumer<String> log) throws Exception {
        Path script = folder.resolve("signed.lua");
        if (!Files.exists(script)) {
            try (var in = SideBySide.class.getResourceAsStream("signed.lua")) {
                Files.write(script, in.readAllBytes());
            }
        }
        Process wrk = new ProcessBuilder("wrk", "-t2", "-c16", "-d" + seconds + "s", "--timeout", "10s", "-s", script.toString(),
                hook.toString(), "--", folder.toString(), Integer.toString(expected)).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!wrk.waitFor(seconds + 120L, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            throw new IllegalStateException("wrk did not end");
        }
        Matcher m = OK.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no count:\n" + out);
        }
        double perSecond = Long.parseLong(m.group(1)) / (double) seconds;
        long other = Long.parseLong(m.group(2));
        long wrapped = Long.parseLong(m.group(3));
        if (wrapped > 0) {
            notes.add(what + ": the pool of signed bodies ran out; raise --pool-rate");
        }
        if (other > 0) {
            notes.add(what + ": " + other + " answers other than " + expected);
        }
        log.accept(String.format(Locale.ROOT, "wrk %-20s %8.0f/s  (other answers %d, pool wrapped %d)", what, perSecond, other, wrapped));
        return perSecond;
    }

    /**
     * The lean constant-rate client ({@link PacedLoad}) at {@code rate}/s for the latency seconds over
     * {@code --connections} sockets, latency counted from each request's due time.
     */
    private Load.Result latency(URI hook, String what, int expected, java.util.function.Consumer<String> log) throws InterruptedException {
        Webhooks webhooks = new Webhooks(SECRET, nextId, 7 * 1024);
        nextId += (long) o.rate() * o.latencySeconds() + 1;
        Load.Result r = new PacedLoad(hook).run(what, webhooks, o.rate(), Duration.ofSeconds(o.latencySeconds()), o.connections());
        long other = r.total() - r.count(Integer.toString(expected));
        if (other > 0) {
            notes.add(what + " latency: " + other + " answers other than " + expected + " " + r.answers());
        }
        log.accept(String.format(Locale.ROOT, "latency %-18s p50 %.1f ms, p99 %.1f ms, max %.1f ms, %s", what,
                r.latency().getValueAtPercentile(50) / 1000.0, r.latency().getValueAtPercentile(99) / 1000.0,
                r.latency().getMaxValue() / 1000.0, r.answers()));
        return r;
    }

    /**
     * Sends {@code samples} deliveries to the stamping environment one at a time, each once the last one's
     * command has stamped (at most 30 s each, so none is superseded by the next), and returns the median in
     * ms from just before each was sent to its command's {@code date}.
     */
    private double toCommand(URI hook, Path stamps) throws Exception {
        return toCommand(hook, stamps, o.samples());
    }

    private double toCommand(URI hook, Path stamps, int samples) throws Exception {
        List<Long> sent = new ArrayList<>();
        Webhooks webhooks = new Webhooks(SECRET, nextId, 7 * 1024);
        nextId += samples + 1;
        List<String> lines = List.of();
        for (int i = 0; i < samples; i++) {
            Webhooks.Delivery d = webhooks.next("staging");
            HttpRequest request = Webhooks.request(hook, d);
            Instant now = Instant.now();
            sent.add(now.getEpochSecond() * 1_000_000_000L + now.getNano());
            http.send(request, HttpResponse.BodyHandlers.discarding());
            long limit = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < limit) {
                lines = Files.exists(stamps) ? Files.readAllLines(stamps) : List.of();
                if (lines.size() > i) {
                    break;
                }
                sleep(Duration.ofMillis(5));
            }
            if (lines.size() <= i) {
                throw new IllegalStateException("the command of delivery " + (i + 1) + " did not start within 30 s at " + hook);
            }
        }
        double[] ms = new double[sent.size()];
        for (int i = 0; i < sent.size(); i++) {
            String[] parts = lines.get(i).strip().split(" ");
            ms[i] = (Long.parseLong(parts[parts.length - 1]) - sent.get(i)) / 1e6;
        }
        Files.delete(stamps);
        return median(ms);
    }

    /** The bare pipe into /dev/null, then the same command as a deployment of a -Xmx64m server. */
    private void output(GitHubProcess github, java.util.function.Consumer<String> log) throws Exception {
        String pipe = "head -c " + o.outputBytes() + " /dev/zero | tr '\\0' x | fold -w 100";
        long start = System.nanoTime();
        Process bare = new ProcessBuilder("sh", "-c", pipe + " > /dev/null").inheritIO().start();
        if (!bare.waitFor(10, TimeUnit.MINUTES)) {
            bare.destroyForcibly();
            throw new IllegalStateException("the bare pipe took over 10 minutes");
        }
        record(peer, "output", (System.nanoTime() - start) / 1e9);
        // The same pipe read by another process (cat): what any reader of a pipe costs on this machine, beside the
        // bare pipe into /dev/null, which no reader pays (the writer's output goes nowhere, with no pipe between).
        start = System.nanoTime();
        Process cat = new ProcessBuilder("sh", "-c", pipe + " | cat > /dev/null").inheritIO().start();
        if (!cat.waitFor(10, TimeUnit.MINUTES)) {
            cat.destroyForcibly();
            throw new IllegalStateException("the pipe into cat took over 10 minutes");
        }
        record(peer, "output cat", (System.nanoTime() - start) / 1e9);
        try (Server small = Server.start(o, folder.resolve("output-" + robot.getOrDefault("output", List.of()).size()), "memory", github.url(), folder.resolve("stamp.sh"),
                List.of("-Xmx64m"))) {
            Webhooks.Delivery d = new Webhooks(SECRET, nextId++, 7 * 1024).next("output");
            double cpuBefore = cpuSeconds(small.process.pid());
            long sent = System.nanoTime();
            HttpResponse<String> answer = http.send(Webhooks.request(small.hook, d), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("the output deployment was answered " + answer.statusCode() + ": " + answer.body());
            }
            long limit = sent + Duration.ofMinutes(10).toNanos();
            Optional<String> state = Optional.empty();
            while (System.nanoTime() < limit) {
                state = github.lastState(d.deploymentId()).filter(s -> s.equals("success") || s.equals("failure") || s.equals("error"));
                if (state.isPresent()) {
                    break;
                }
                sleep(Duration.ofMillis(20));
            }
            if (!state.equals(Optional.of("success"))) {
                throw new IllegalStateException("the output deployment ended " + state.orElse("after 10 minutes still running")
                        + "; the server said:\n" + small.tail());
            }
            record(robot, "output", (System.nanoTime() - sent) / 1e9);
            record(robot, "output cpu", cpuSeconds(small.process.pid()) - cpuBefore);
            record(robot, "output alive", small.process.isAlive() ? 1 : 0);
            log.accept("output: bare " + peer.get("output") + " s, into cat " + peer.get("output cat") + " s, autodeploy -Xmx64m " + robot.get("output") + " s");
        }
    }

    /**
     * Makes the launcher's class-data archive with its training run ({@code autodeploy prepare}) before any server
     * starts, so that no start measured includes it; a jar that has no training run (a build from before it) is
     * started with plain {@code java -jar}, as its README said.
     */
    private void prepareLauncher(java.util.function.Consumer<String> log) throws Exception {
        if (o.launcher().isEmpty() || o.jar().isEmpty()) {
            o = o.withLauncher(Optional.empty());
            log.accept("launch: java " + String.join(" ", o.server()));
            return;
        }
        Path script = o.launcher().get();
        String jar = o.jar().get();
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "prepare").redirectErrorStream(true)
                .redirectOutput(folder.resolve("prepare.log").toFile());
        pb.environment().put("AUTODEPLOY_JAR", jar);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long start = System.nanoTime();
        Process prepare = pb.start();
        if (!prepare.waitFor(5, TimeUnit.MINUTES)) {
            prepare.destroyForcibly();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Path archive = Path.of(jar.substring(0, jar.length() - ".jar".length()) + ".jsa");
        if (!Files.exists(archive)) {
            o = o.withLauncher(Optional.empty());
            log.accept("launch: java -jar " + jar + " (" + script + " prepare made no class-data archive: a jar without training-run)");
            notes.add("started with plain java -jar: this jar has no training run for the launcher's class-data archive");
            return;
        }
        log.accept(String.format(Locale.ROOT, "launch: %s serve (the README's way: SerialGC, class-data archive %s, made or "
                + "checked by its training run in %.1f s before any server started)", script, archive, seconds));
        notes.add("Autodeploy started as the README says, by " + script.getFileName() + " (SerialGC and a class-data archive "
                + "made by a training run before the servers start); \"plain java -jar\" is one start without them");
    }

    private List<Row> table(boolean withPeer) {
        List<Row> rows = new ArrayList<>();
        rows.add(row("deliveries/s, in-memory store (wrk -t2 -c16)", "rps memory", "%,.0f", false));
        rows.add(row("deliveries/s, SQLite store", "rps sqlite", "%,.0f", false, "rps memory"));
        rows.add(row("deliveries/s, SQLite store, store.sync: normal", "rps sqlite normal", "%,.0f", false, "rps memory"));
        rows.add(row("deliveries/s, PostgreSQL store", "rps postgres", "%,.0f", false, "rps memory"));
        rows.add(row("webhook p99 ms at " + o.rate() + "/s, first round after start", "p99 first", "%,.1f", true));
        rows.add(row("webhook p99 ms at " + o.rate() + "/s, warm", "p99 warm", "%,.1f", true));
        rows.add(row("delivery to first command started, p50 ms", "to command", "%,.1f", true));
        rows.add(row("delivery to first command started, SQLite store, p50 ms", "to command sqlite", "%,.1f", true, "to command"));
        rows.add(row("start to first 200 ms (median of starts)", "start", "%,.0f", true));
        if (robot.containsKey("start plain")) {
            // only when the servers were started by the launcher: then one plain start shows what it changes
            rows.add(row("start to first 200 ms, plain java -jar", "start plain", "%,.0f", true));
        }
        rows.add(row("idle heap used MB", "heap", "%,.1f", true));
        rows.add(row("idle threads", "threads", "%,.0f", true));
        rows.add(row("idle RSS MB", "rss", "%,.1f", true));
        rows.add(row("s for a command printing " + human(o.outputBytes()) + " (peer: bare pipe; Autodeploy: -Xmx64m)",
                "output", "%,.2f", true));
        rows.add(row("server CPU s for that command (user + system)", "output cpu", "%,.2f", true));
        List<Double> cat = peer.getOrDefault("output cat", List.of());
        List<Double> out = robot.getOrDefault("output", List.of());
        rows.add(new Row("s for the same pipe read by cat (peer column), against Autodeploy's", cell(cat, "%,.2f"), cell(out, "%,.2f"),
                cat.isEmpty() || out.isEmpty() || median(cat) == 0 ? "-"
                        : String.format(Locale.ROOT, "%.2fx (lower is better)", median(out) / median(cat))));
        if (!withPeer) {
            notes.add("peer: not measured (webhook is not installed)");
        }
        notes.forEach(n -> rows.add(new Row("note: " + n, "", "", "")));
        return rows;
    }

    /** A row; the peer's cell falls back to {@code peerKey} (the peer has no store, so its rate is the same). */
    private Row row(String metric, String key, String format, boolean lowerIsBetter, String... peerKey) {
        List<Double> a = peer.getOrDefault(key, peerKey.length > 0 ? peer.getOrDefault(peerKey[0], List.of()) : List.of());
        List<Double> b = robot.getOrDefault(key, List.of());
        String ratio = a.isEmpty() || b.isEmpty() || median(a) == 0 ? "-"
                : String.format(Locale.ROOT, "%.2fx", median(b) / median(a));
        return new Row(metric, cell(a, format), cell(b, format), ratio + (lowerIsBetter && !ratio.equals("-") ? " (lower is better)" : ""));
    }

    private static String cell(List<Double> values, String format) {
        if (values.isEmpty()) {
            return "-";
        }
        double lo = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double hi = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return values.size() == 1 || String.format(Locale.ROOT, format, lo).equals(String.format(Locale.ROOT, format, hi))
                ? String.format(Locale.ROOT, format, lo)
                : String.format(Locale.ROOT, format + "-" + format, lo, hi);
    }

    /** The rows as a Markdown table. */
    static String format(List<Row> rows) {
        StringBuilder b = new StringBuilder("| metric | peer | Autodeploy | Autodeploy/peer |\n|---|---|---|---|\n");
        rows.forEach(r -> b.append("| ").append(r.metric()).append(" | ").append(r.peer()).append(" | ").append(r.autodeploy())
                .append(" | ").append(r.ratio()).append(" |\n"));
        return b.toString();
    }

    private static String human(long bytes) {
        return bytes % (1L << 30) == 0 ? bytes / (1L << 30) + " GiB" : bytes % (1 << 20) == 0 ? bytes / (1 << 20) + " MiB" : bytes + " bytes";
    }

    private static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void record(Map<String, List<Double>> side, String key, double value) {
        side.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static String only(Map<String, List<Double>> side, String prefix) {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        side.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k, v);
            }
        });
        return m.toString();
    }

    private static int threads(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return (int) tasks.count();
        }
    }

    /** The process's CPU time (user and system, all threads) so far, from {@code /proc/PID/stat}; 0 where there is none. */
    private static double cpuSeconds(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return 0;
        }
        String text = Files.readString(stat);
        // Fields after the command name (in parentheses, which may hold spaces): utime and stime are the 12th and 13th.
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** Heap used (survivors, eden, old) in MB, from {@code jstat -gc}. */
    static double heapMb(long pid) throws Exception {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        Process p = new ProcessBuilder(Files.exists(jstat) ? jstat.toString() : "jstat", "-gc", Long.toString(pid))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String[] lines = out.strip().split("\n");
        if (lines.length < 2) {
            throw new IllegalStateException("jstat -gc " + pid + " said: " + out);
        }
        List<String> names = List.of(lines[0].strip().split("\\s+"));
        String[] values = lines[1].strip().split("\\s+");
        double kb = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            int i = names.indexOf(column);
            if (i >= 0 && i < values.length && !values[i].equals("-")) {
                kb += Double.parseDouble(values[i]);
            }
        }
        return kb / 1024.0;
    }

    static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until {@code url} answers 200 (at most a minute); the milliseconds since {@code startNanos}. */
    static double firstOk(HttpClient http, URI url, long startNanos, Process process) throws InterruptedException {
        long limit = startNanos + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < limit && process.isAlive()) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - startNanos) / 1e6;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException(url + " did not answer 200 within a minute" + (process.isAlive() ? "" : "; the process ended"));
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The standalone server in a process of its own, serving one configuration; stopped with SIGTERM. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final double startMillis;
        final URI hook;
        final Path stamps;
        final Path log;

        private Server(Process process, double startMillis, URI hook, Path stamps, Path log) {
            this.process = process;
            this.startMillis = startMillis;
            this.hook = hook;
            this.stamps = stamps;
            this.log = log;
        }

        static Server start(Options o, Path folder, String storeUrl, String githubApi, Path stamp, List<String> jvm)
                throws Exception {
            return start(o, folder, storeUrl, githubApi, stamp, jvm, "");
        }

        /** {@code storeKeys}: more lines of the {@code store:} section, each a newline and two spaces, then the key. */
        static Server start(Options o, Path folder, String storeUrl, String githubApi, Path stamp, List<String> jvm,
                            String storeKeys) throws Exception {
            Files.createDirectories(folder);
            Path stamps = folder.resolve("stamps.txt");
            Path config = folder.resolve("autodeploy.yml");
            String pipe = "head -c " + o.outputBytes() + " /dev/zero | tr \"\\0\" x | fold -w 100";
            Files.writeString(config, """
                    github:
                      api_url: %s
                      token: ghp_benchmark_token_not_real
                      webhook_secret: %s
                    pages:
                      open: true
                    store:
                      url: "%s"%s
                    engine:
                      queue_capacity: 100000
                      shutdown_grace: 2s
                    repos:
                      %s:
                        folder: "%s"
                        required_contexts: []
                        commands:
                          - ["true"]
                        environments:
                          production: {}
                          staging:
                            commands:
                              - ["%s", "${deployment_id}", "%s"]
                          output:
                            commands:
                              - [sh, -c, '%s']
                    """.formatted(githubApi, SECRET, storeUrl.replace("\"", "\\\""), storeKeys, Webhooks.REPO, folder, stamp, stamps, pipe));
            int port = freePort();
            jvm = java.util.stream.Stream.concat(jvm.stream(), o.serverOptions().stream()).toList();
            List<String> command = new ArrayList<>();
            if (o.launcher().isPresent()) {
                command.add(o.launcher().get().toString());
            } else {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvm);
                command.addAll(o.server());
            }
            command.addAll(List.of("serve", "--config", config.toString(), "--port", Integer.toString(port)));
            Path log = folder.resolve("server.log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().remove("GITHUB_TOKEN");
            pb.environment().remove("PUBLIC_URL");
            if (o.launcher().isPresent()) {
                pb.environment().put("AUTODEPLOY_JAR", o.jar().orElseThrow());
                pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
                pb.environment().put("JAVA_OPTS", String.join(" ", jvm));
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long start = System.nanoTime();
            Process process = pb.start();
            double millis;
            try {
                millis = firstOk(http, URI.create("http://127.0.0.1:" + port + "/healthz"), start, process);
            } catch (IllegalStateException e) {
                process.destroyForcibly();
                throw new IllegalStateException(e.getMessage() + "; its output:\n" + Files.readString(log), e);
            }
            return new Server(process, millis, URI.create("http://127.0.0.1:" + port + "/hooks/github"), stamps, log);
        }

        String tail() throws IOException {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Debian's {@code webhook}: hook {@code deploy} checks the body's HMAC-SHA256 and spawns {@code /bin/true};
     * hook {@code stamp} runs the stamping script. A refused signature is answered 400.
     */
    private static final class Peer implements AutoCloseable {
        final Process process;
        final double startMillis;
        final String base;
        final URI hook;
        final Path stamps;

        private Peer(Process process, double startMillis, String base, Path stamps) {
            this.process = process;
            this.startMillis = startMillis;
            this.base = base;
            this.hook = URI.create(base + "/hooks/deploy");
            this.stamps = stamps;
        }

        static Peer start(Path folder, Path stamp) throws Exception {
            Path dir = Files.createDirectories(folder.resolve("peer"));
            Path stamps = dir.resolve("stamps.txt");
            String rule = """
                    "trigger-rule-mismatch-http-response-code": 400,
                    "trigger-rule": {"match": {"type": "payload-hmac-sha256", "secret": "%s",
                      "parameter": {"source": "header", "name": "X-Hub-Signature-256"}}}""".formatted(SECRET);
            Path hooks = dir.resolve("hooks.json");
            Files.writeString(hooks, """
                    [
                      {"id": "deploy", "execute-command": "/bin/true", "command-working-directory": "%s",
                       %s},
                      {"id": "stamp", "execute-command": "%s", "command-working-directory": "%s",
                       "pass-arguments-to-command": [{"source": "payload", "name": "deployment.id"}, {"source": "string", "name": "%s"}],
                       %s}
                    ]
                    """.formatted(dir, rule, stamp, dir, stamps, rule));
            int port = freePort();
            ProcessBuilder pb = new ProcessBuilder("webhook", "-hooks", hooks.toString(), "-ip", "127.0.0.1", "-port",
                    Integer.toString(port)).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("peer.log").toFile());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long start = System.nanoTime();
            Process process = pb.start();
            String base = "http://127.0.0.1:" + port;
            double millis;
            try {
                millis = firstOk(http, URI.create(base + "/"), start, process);
            } catch (IllegalStateException e) {
                process.destroyForcibly();
                throw new IllegalStateException(e.getMessage() + "; its output:\n" + Files.readString(dir.resolve("peer.log")), e);
            }
            return new Peer(process, millis, base, stamps);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
