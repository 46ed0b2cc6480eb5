package io.github.autodeploy.benchmarks.load;

import io.github.autodeploy.core.store.DeploymentStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts and times every call to a {@link DeploymentStore}, apart for Tomcat's request threads (the
 * accept path) and the robot's own threads (lanes, status outbox, leases), so that the cost of a
 * durable store can be split by method. Thread-safe.
 */
public final class StoreProfile {
    private final Map<String, Calls> calls = new ConcurrentHashMap<>();

    private record Calls(LongAdder count, LongAdder nanos) {
        Calls() {
            this(new LongAdder(), new LongAdder());
        }
    }

    /** {@code store}, with each call counted here. */
    public DeploymentStore wrap(DeploymentStore store) {
        return (DeploymentStore) Proxy.newProxyInstance(DeploymentStore.class.getClassLoader(),
                new Class<?>[] {DeploymentStore.class}, (proxy, method, args) -> {
                    long start = System.nanoTime();
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        String where = Thread.currentThread().getName().startsWith("http-") ? "request" : "robot";
                        Calls c = calls.computeIfAbsent(where + " " + method.getName(), k -> new Calls());
                        c.count().increment();
                        c.nanos().add(System.nanoTime() - start);
                    }
                });
    }

    /** Forgets what was counted (after a warm-up). */
    public void reset() {
        calls.clear();
    }

    /** One line per thread kind and method: calls, calls per accepted delivery, mean and total time. */
    public List<String> report(long accepted) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "  %-8s %-16s %8s %9s %9s %9s", "threads", "store call", "calls",
                "per 202", "mean ms", "total s"));
        calls.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String[] k = e.getKey().split(" ");
            long n = e.getValue().count().sum();
            long ns = e.getValue().nanos().sum();
            lines.add(String.format(Locale.ROOT, "  %-8s %-16s %8d %9.2f %9.3f %9.2f", k[0], k[1], n,
                    accepted == 0 ? 0.0 : (double) n / accepted, ns / 1e6 / n, ns / 1e9));
        });
        return lines;
    }
}
