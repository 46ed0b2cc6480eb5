package io.github.autodeploy.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Sends signed deliveries to a webhook endpoint and records each answer's latency and status: an open
 * model (a fixed rate, latency counted from when a delivery was due, so a slow answer that delays the
 * next one is not hidden) and a closed model (N senders, each sending its next delivery when the last
 * is answered). Thread-safe; one run at a time.
 */
public final class Load {
    private static final Pattern RESULT = Pattern.compile("\"result\"\\s*:\\s*\"([a-z_]+)\"");
    private final HttpClient http;
    private final URI hook;
    private final Webhooks webhooks;

    public Load(URI hook, Webhooks webhooks) {
        this.hook = hook;
        this.webhooks = webhooks;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * What one run measured.
     *
     * @param latency  microseconds from when each delivery was due (open) or sent (closed) to its answer
     * @param answers  how many answers of each kind: {@code 202}, {@code 200 duplicate}, {@code 503 overloaded},
     *                 {@code error IOException}...
     */
    public record Result(String phase, Histogram latency, Map<String, Long> answers, Duration elapsed) {
        public Result {
            answers = Map.copyOf(answers);
        }

        public long count(String answer) {
            return answers.getOrDefault(answer, 0L);
        }

        public long total() {
            return answers.values().stream().mapToLong(Long::longValue).sum();
        }

        /** 202 answers per second of the run. */
        public double acceptedPerSecond() {
            return count("202") / (elapsed.toNanos() / 1e9);
        }

        /** The answers other than 202, as {@code 503 overloaded=3}; empty when every one was 202. */
        public String others() {
            Map<String, Long> sorted = new TreeMap<>(answers);
            sorted.remove("202");
            List<String> parts = new ArrayList<>();
            sorted.forEach((k, v) -> parts.add(k + "=" + v));
            return String.join(" ", parts);
        }
    }

    /** {@code rate} deliveries a second for {@code length}, each due at its own instant, answers awaited at the end. */
    public Result open(String phase, int rate, Duration length) {
        long count = Math.max(1, rate * length.toMillis() / 1000);
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        ConcurrentHistogram latency = new ConcurrentHistogram(3);
        Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        // Built ahead so that building and signing them does not delay sending.
        List<Webhooks.Delivery> deliveries = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            deliveries.add(webhooks.next());
        }
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        for (int i = 0; i < count; i++) {
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            pending.add(http.sendAsync(Webhooks.request(hook, deliveries.get(i)), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        latency.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
                        answers.computeIfAbsent(kind(r, e), k -> new LongAdder()).increment();
                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return result(phase, latency, answers, Duration.ofNanos(System.nanoTime() - start));
    }

    /** {@code senders} threads sending back to back for {@code length}. */
    public Result closed(String phase, int senders, Duration length) throws InterruptedException {
        ConcurrentHistogram latency = new ConcurrentHistogram(3);
        Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            Thread sender = new Thread(() -> {
                while (System.nanoTime() < end) {
                    Webhooks.Delivery d = webhooks.next();
                    long sent = System.nanoTime();
                    HttpResponse<String> r = null;
                    Throwable error = null;
                    try {
                        r = http.send(Webhooks.request(hook, d), HttpResponse.BodyHandlers.ofString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        error = e;
                    }
                    latency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
                    answers.computeIfAbsent(kind(r, error), k -> new LongAdder()).increment();
                }
            }, "sender-" + s);
            sender.start();
            threads.add(sender);
        }
        for (Thread t : threads) {
            t.join();
        }
        return result(phase, latency, answers, Duration.ofNanos(System.nanoTime() - start));
    }

    private static Result result(String phase, Histogram latency, Map<String, LongAdder> answers, Duration elapsed) {
        Map<String, Long> counts = new TreeMap<>();
        answers.forEach((k, v) -> counts.put(k, v.sum()));
        return new Result(phase, latency.copy(), counts, elapsed);
    }

    private static String kind(HttpResponse<String> r, Throwable e) {
        if (r == null) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            return "error " + (cause == null ? "unknown" : cause.getClass().getSimpleName());
        }
        if (r.statusCode() == 202) {
            return "202";
        }
        Matcher m = RESULT.matcher(r.body());
        return r.statusCode() + (m.find() ? " " + m.group(1) : "");
    }
}
