package io.github.autodeploy.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The cost of accepting a {@code deployment} webhook (verify the signature, parse, store, answer) through
 * the real servlet on each store: p50/p90/p99/max of the answer at a fixed rate, and the most deliveries
 * accepted a second by a number of concurrent senders. Prints one table per store.
 *
 * <p>Run (after {@code ./mvnw -pl benchmarks -am package -DskipTests}):
 * <pre>{@code
 * AUTODEPLOY_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:5432/bench?user=u&password=p' \
 *   java -cp benchmarks/target/benchmarks.jar io.github.autodeploy.benchmarks.load.AcceptLoad
 * }</pre>
 * Options (defaults in brackets): {@code --stores memory,sqlite,postgres} [memory and sqlite, and postgres
 * when a URL is given; or any {@code jdbc:} URL, as {@code jdbc:sqlite:/tmp/x.db?synchronous=NORMAL}],
 * {@code --postgres-url URL} [{@code AUTODEPLOY_TEST_POSTGRES_URL}], {@code --rate 200},
 * {@code --seconds 20} (each measured phase), {@code --warmup 10} (seconds at the rate, not measured),
 * {@code --senders 16}, {@code --queue-capacity 10000}, {@code --profile true} (count and time the store's
 * calls, on the request threads apart from the robot's; see {@link StoreProfile}).
 */
public final class AcceptLoad {
    private AcceptLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        java.util.logging.Logger tomcatLog = java.util.logging.Logger.getLogger("org.apache");
        tomcatLog.setLevel(java.util.logging.Level.WARNING);
        Map<String, String> o = options(args);
        Optional<String> postgres = Optional.ofNullable(o.getOrDefault("postgres-url", System.getenv("AUTODEPLOY_TEST_POSTGRES_URL")))
                .filter(u -> !u.isBlank());
        List<String> stores = List.of(o.getOrDefault("stores", postgres.isPresent() ? "memory,sqlite,postgres" : "memory,sqlite")
                .split(","));
        int rate = Integer.parseInt(o.getOrDefault("rate", "200"));
        Duration length = Duration.ofSeconds(Long.parseLong(o.getOrDefault("seconds", "20")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(o.getOrDefault("warmup", "10")));
        int senders = Integer.parseInt(o.getOrDefault("senders", "16"));
        int capacity = Integer.parseInt(o.getOrDefault("queue-capacity", "10000"));
        boolean profile = Boolean.parseBoolean(o.getOrDefault("profile", "false"));

        System.out.printf(Locale.ROOT, "accept path: deployment webhooks, %d/s for %ds (after %ds warm-up), then %d senders for %ds; "
                + "%d cores, Java %s%n", rate, length.toSeconds(), warmup.toSeconds(), senders, length.toSeconds(),
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        List<String> table = new ArrayList<>();
        table.add(header());
        for (String store : stores) {
            String url = switch (store.strip()) {
                case "memory" -> "memory";
                case "sqlite" -> "sqlite";
                case "postgres" -> postgres.orElseThrow(() -> new IllegalArgumentException(
                        "postgres needs --postgres-url or AUTODEPLOY_TEST_POSTGRES_URL"));
                default -> {
                    if (!store.strip().startsWith("jdbc:")) {
                        throw new IllegalArgumentException("unknown store \"" + store + "\"; use memory, sqlite, postgres or a jdbc: URL");
                    }
                    yield store.strip();
                }
            };
            Optional<StoreProfile> profiling = profile ? Optional.of(new StoreProfile()) : Optional.empty();
            List<Measured> results = measure(url, rate, length, warmup, senders, capacity, profiling);
            List<String> rows = results.stream().map(r -> row(store.strip(), r)).toList();
            rows.forEach(System.out::println);
            results.forEach(m -> m.profile().ifPresent(lines -> {
                System.out.println(store.strip() + ", " + m.client().phase() + ": store calls");
                lines.forEach(System.out::println);
            }));
            table.addAll(rows);
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    /**
     * One phase: the senders' view, Tomcat's own time per answer, and how long the robot then took to post
     * the statuses the phase left waiting (its lane and outbox backlog).
     */
    record Measured(Load.Result client, Histogram served, Duration drain, Optional<List<String>> profile) {
    }

    /** Starts a robot on {@code storeUrl} ({@code sqlite}: a new file in a temp folder), warms it up, measures both models. */
    static List<Measured> measure(String storeUrl, int rate, Duration length, Duration warmup, int senders, int capacity,
                                  Optional<StoreProfile> profile) throws Exception {
        Path folder = Files.createTempDirectory("autodeploy-load");
        String url = storeUrl.equals("sqlite") ? "jdbc:sqlite:" + folder.resolve("store/autodeploy.db") : storeUrl;
        try (FakeGitHub github = FakeGitHub.start();
             LoadedRobot robot = LoadedRobot.start(folder, url, github.url(), capacity, profile)) {
            // Ids count up from the clock so that runs against one PostgreSQL database never reuse one.
            Load load = new Load(robot.hook(), new Webhooks(LoadedRobot.SECRET, System.currentTimeMillis() * 1000));
            if (!warmup.isZero()) {
                load.open("warm-up", rate, warmup);
            }
            quiet(github);
            robot.servedSinceLastCall();
            profile.ifPresent(StoreProfile::reset);
            Load.Result open = load.open("open " + rate + "/s", rate, length);
            Measured first = new Measured(open, robot.servedSinceLastCall(), quiet(github),
                    profile.map(p -> p.report(open.count("202"))));
            profile.ifPresent(StoreProfile::reset);
            Load.Result closed = load.closed("closed " + senders + " senders", senders, length);
            Measured second = new Measured(closed, robot.servedSinceLastCall(), quiet(github),
                    profile.map(p -> p.report(closed.count("202"))));
            return List.of(first, second);
        } finally {
            delete(folder);
        }
    }

    /**
     * Waits until the fake GitHub has had no status for a second (at most two minutes): the statuses of
     * what was accepted are posted, so one phase's backlog does not weigh on the next.
     */
    private static Duration quiet(FakeGitHub github) throws InterruptedException {
        long start = System.nanoTime();
        long last = -1;
        long limit = start + Duration.ofMinutes(2).toNanos();
        while (github.statusesPosted() != last && System.nanoTime() < limit) {
            last = github.statusesPosted();
            Thread.sleep(1000);
        }
        return Duration.ofNanos(System.nanoTime() - start).minusSeconds(1);
    }

    private static String header() {
        return String.format(Locale.ROOT, "%-8s %-19s %6s %6s | %7s %7s %7s %7s | %7s %7s | %10s %7s  %s", "store", "phase",
                "sent", "202", "p50", "p90", "p99", "max", "srv p50", "srv p99", "accepted/s", "drain s", "other answers")
                + System.lineSeparator() + " ".repeat(43) + "client latency, ms            | in Tomcat, ms   |";
    }

    private static String row(String store, Measured m) {
        Load.Result r = m.client();
        return String.format(Locale.ROOT, "%-8s %-19s %6d %6d | %7.2f %7.2f %7.2f %7.1f | %7.2f %7.2f | %10.0f %7.1f  %s",
                store, r.phase(), r.total(), r.count("202"), ms(r.latency(), 50), ms(r.latency(), 90), ms(r.latency(), 99),
                r.latency().getMaxValue() / 1000.0, ms(m.served(), 50), ms(m.served(), 99), r.acceptedPerSecond(),
                m.drain().toMillis() / 1000.0, r.others().isEmpty() ? "-" : r.others());
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("options are --name value; got \"" + args[i] + "\"");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    private static void delete(Path folder) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
