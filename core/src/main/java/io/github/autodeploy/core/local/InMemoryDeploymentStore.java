package io.github.autodeploy.core.local;

import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.LogChunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link DeploymentStore} for one JVM. Memory is bounded: the oldest deployments (and their logs)
 * are dropped past {@code historyLimit}, a log keeps only its newest {@code logLimitBytes}, and only
 * the newest delivery ids are remembered. Thread-safe; nothing survives a restart (recovery asks
 * GitHub instead).
 */
public final class InMemoryDeploymentStore implements DeploymentStore {
    private static final int DELIVERIES_KEPT = 10_000;
    private final int historyLimit;
    private final long logLimitBytes;
    private final LinkedHashSet<DeliveryId> deliveries = new LinkedHashSet<>();
    private final LinkedHashMap<DeploymentId, DeploymentRecord> records = new LinkedHashMap<>();
    private final Map<DeploymentId, Log> logs = new ConcurrentHashMap<>();
    private final Map<String, Lock> laneLocks = new ConcurrentHashMap<>();

    private InMemoryDeploymentStore(int historyLimit, long logLimitBytes) {
        if (historyLimit < 1 || logLimitBytes < 1) {
            throw new IllegalArgumentException("history and log limits must be positive");
        }
        this.historyLimit = historyLimit;
        this.logLimitBytes = logLimitBytes;
    }

    /** A store with the given bounds (deployments kept; bytes of log kept per deployment). */
    public static InMemoryDeploymentStore create(int historyLimit, long logLimitBytes) {
        return new InMemoryDeploymentStore(historyLimit, logLimitBytes);
    }

    @Override
    public synchronized boolean recordDelivery(DeliveryId id) {
        if (!deliveries.add(id)) {
            return false;
        }
        if (deliveries.size() > DELIVERIES_KEPT) {
            deliveries.remove(deliveries.iterator().next());
        }
        return true;
    }

    @Override
    public synchronized void forgetDelivery(DeliveryId id) {
        deliveries.remove(id);
    }

    @Override
    public synchronized boolean insert(DeploymentRecord record) {
        DeploymentId id = record.deployment().id();
        if (records.containsKey(id)) {
            return false;
        }
        records.put(id, record);
        while (records.size() > historyLimit) {
            DeploymentId oldest = records.keySet().iterator().next();
            records.remove(oldest);
            logs.remove(oldest);
        }
        return true;
    }

    @Override
    public synchronized void update(DeploymentRecord record) {
        records.computeIfPresent(record.deployment().id(), (k, v) -> record);
    }

    @Override
    public synchronized Optional<DeploymentRecord> find(DeploymentId id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public synchronized List<DeploymentRecord> recent(int limit) {
        List<DeploymentRecord> all = new ArrayList<>(records.values());
        all.sort(Comparator.comparing(DeploymentRecord::queuedAt).thenComparing(r -> r.deployment().id().value()).reversed());
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    @Override
    public void appendLog(DeploymentId id, String line) {
        synchronized (this) {
            if (!records.containsKey(id)) {
                return;
            }
        }
        logs.computeIfAbsent(id, k -> new Log(logLimitBytes)).append(line);
    }

    @Override
    public LogChunk readLog(DeploymentId id, long fromLine) {
        Log log = logs.get(id);
        return log == null ? new LogChunk(0, List.of(), 0) : log.read(fromLine);
    }

    @Override
    public Lock laneLock(String lane) {
        return laneLocks.computeIfAbsent(lane, k -> new ReentrantLock());
    }

    /** The tail of one log, bounded in bytes. Thread-safe. */
    private static final class Log {
        private final long limit;
        private final Deque<String> lines = new ArrayDeque<>();
        private long bytes;
        private long first;

        Log(long limit) {
            this.limit = limit;
        }

        synchronized void append(String line) {
            lines.addLast(line);
            bytes += size(line);
            while (bytes > limit && lines.size() > 1) {
                bytes -= size(lines.removeFirst());
                first++;
            }
        }

        synchronized LogChunk read(long from) {
            long start = Math.max(from, first);
            long next = first + lines.size();
            if (start >= next) {
                return new LogChunk(next, List.of(), next);
            }
            List<String> out = new ArrayList<>((int) (next - start));
            long n = first;
            for (String line : lines) {
                if (n++ >= start) {
                    out.add(line);
                }
            }
            return new LogChunk(start, out, next);
        }

        private static long size(String line) {
            return line.getBytes(StandardCharsets.UTF_8).length + 1L;
        }
    }
}
