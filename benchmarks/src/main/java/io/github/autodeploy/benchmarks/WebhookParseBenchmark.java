package io.github.autodeploy.benchmarks;

import io.github.autodeploy.benchmarks.load.Webhooks;
import io.github.autodeploy.core.event.WebhookEvent;
import io.github.autodeploy.github.WebhookParser;
import io.github.autodeploy.github.WebhookVerifier;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The webhook servlet's work before the engine sees a delivery: the HMAC-SHA256 check of a 7 KB
 * {@code deployment} body, its parse into a {@link WebhookEvent}, and both as the servlet does them.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar WebhookParseBenchmark}. One state per benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WebhookParseBenchmark {
    private static final String SECRET = "bench-webhook-secret";
    private final WebhookVerifier verifier = WebhookVerifier.create(List.of(SECRET));
    private final WebhookParser parser = WebhookParser.create();
    private byte[] body;
    private Optional<String> signature;

    @Setup(Level.Trial)
    public void setUp() {
        Webhooks.Delivery d = new Webhooks(SECRET, 1, 7 * 1024).next();
        body = d.body();
        signature = Optional.of(d.signature());
        if (!verifier.verify(body, signature, Optional.empty())) {
            throw new IllegalStateException("the benchmark's delivery does not verify");
        }
    }

    @Benchmark
    public boolean verify() {
        return verifier.verify(body, signature, Optional.empty());
    }

    @Benchmark
    public WebhookEvent parse() {
        return parser.parse("deployment", "application/json", body);
    }

    /** Verified, then parsed: the servlet's path for an accepted delivery. */
    @Benchmark
    public WebhookEvent verifyAndParse() {
        if (!verifier.verify(body, signature, Optional.empty())) {
            throw new IllegalStateException("signature refused");
        }
        return parser.parse("deployment", "application/json", body);
    }
}
