package io.github.autodeploy.core.local;

import io.github.autodeploy.core.control.EnvironmentLock;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.DeliveryId;
import io.github.autodeploy.core.model.DeploymentState;
import io.github.autodeploy.core.model.DeploymentId;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import io.github.autodeploy.core.store.DeploymentRecord;
import io.github.autodeploy.core.store.DeploymentStore;
import io.github.autodeploy.core.store.GatedRun;
import io.github.autodeploy.core.store.LogChunk;
import io.github.autodeploy.core.store.Orphans;
import io.github.autodeploy.core.store.WaitingMerge;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link DeploymentStore} for one JVM. Memory is bounded: the oldest deployments (and their logs)
 * are dropped past {@code historyLimit}, a log keeps only its newest {@code logLimitBytes}, all logs
 * together keep at most {@code totalLogBytes} (the oldest deployments' logs lose their lines first),
 * and only the newest delivery ids are remembered. Only this process uses it, so it owns everything
 * in it and there is never anything to adopt. Log sizes are the heap a line takes ({@link
 * #retainedBytes(String)}: its characters and the per-line objects around them), not its length,
 * so a log of many tiny lines is counted for what it costs. Thread-safe; nothing survives a restart
 * (recovery asks GitHub instead).
 */
public final class InMemoryDeploymentStore implements DeploymentStore {
    private static final int DELIVERIES_KEPT = 10_000;
    /** The default budget for all logs together, when one log's limit is not larger. */
    static final long DEFAULT_TOTAL_LOG_BYTES = 64L * 1024 * 1024;
    /**
     * Heap a line costs besides its characters, on a 64-bit JVM with compressed references: the
     * String (12-byte header, hash, coder, flag, array reference: 24), its byte array's header (16)
     * and the deque's reference to it (4, and the deque's spare capacity, up to as much again: 8).
     */
    static final long LINE_OVERHEAD = 24 + 16 + 8;
    private final int historyLimit;
    private final long logLimitBytes;
    private final long totalLogBytes;
    /** What all logs hold, by {@link #retainedBytes(String)}; guarded by this. */
    private long logBytes;
    /** The delivery ids remembered; read without the monitor ({@link #deliverySeen}), changed under it. */
    private final java.util.Set<DeliveryId> deliveries = ConcurrentHashMap.newKeySet();
    /** {@link #deliveries} oldest first, to forget the oldest past {@link #DELIVERIES_KEPT}; guarded by this. */
    private final ArrayDeque<DeliveryId> deliveryOrder = new ArrayDeque<>();
    private final LinkedHashMap<DeploymentId, DeploymentRecord> records = new LinkedHashMap<>();
    private final Map<DeploymentId, Log> logs = new ConcurrentHashMap<>();
    private final Map<String, Lock> laneLocks = new ConcurrentHashMap<>();
    /** Kept apart from the records, so that dropping old records never forgets what a lane started. */
    private final Map<String, DeploymentId> newestStarted = new HashMap<>();
    private final Map<DeploymentId, Integer> posted = new HashMap<>();
    private final Map<String, WaitingMerge> parked = new LinkedHashMap<>();
    /** Each lane's succeeded deployments, newest last (at most {@link #SUCCEEDED_KEPT}), kept past the history limit. */
    private final Map<String, LinkedHashMap<DeploymentId, DeploymentRecord>> succeeded = new HashMap<>();
    private final Map<String, EnvironmentLock> envLocks = new HashMap<>();
    private static final int SUCCEEDED_KEPT = 50;
    /** Gated Actions deployments by key, oldest first; decided ones past {@link #GATED_KEPT} are dropped. */
    private final LinkedHashMap<String, GatedRun> gated = new LinkedHashMap<>();
    private static final int GATED_KEPT = 1_000;

    private InMemoryDeploymentStore(int historyLimit, long logLimitBytes, long totalLogBytes) {
        if (historyLimit < 1 || logLimitBytes < 1 || totalLogBytes < 1) {
            throw new IllegalArgumentException("history and log limits must be positive");
        }
        this.historyLimit = historyLimit;
        this.logLimitBytes = logLimitBytes;
        this.totalLogBytes = totalLogBytes;
    }

    /**
     * A store with the given bounds (deployments kept; bytes of heap a deployment's log may hold),
     * all logs together holding at most 64 MiB, or twice one log's limit if that is more.
     */
    public static InMemoryDeploymentStore create(int historyLimit, long logLimitBytes) {
        return new InMemoryDeploymentStore(historyLimit, logLimitBytes, Math.max(DEFAULT_TOTAL_LOG_BYTES, 2 * logLimitBytes));
    }

    /** A store with the given bounds, all logs together holding at most {@code totalLogBytes} of heap. */
    public static InMemoryDeploymentStore create(int historyLimit, long logLimitBytes, long totalLogBytes) {
        return new InMemoryDeploymentStore(historyLimit, logLimitBytes, totalLogBytes);
    }

    /** The heap a kept log line takes: its characters (one byte each if all are Latin-1, else two), rounded up to 8, and {@link #LINE_OVERHEAD}. */
    public static long retainedBytes(String line) {
        long chars = line.length();
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) > 0xFF) {
                chars = 2L * line.length();
                break;
            }
        }
        return LINE_OVERHEAD + ((chars + 7) & ~7L);
    }

    /** What all logs hold together, by {@link #retainedBytes(String)}: never more than the total budget, bar one line. */
    public synchronized long retainedLogBytes() {
        return logBytes;
    }

    /** Always true: memory is always there. */
    @Override
    public boolean ping(java.time.Duration timeout) {
        return true;
    }

    /** Without the monitor: every webhook asks, and a concurrent set answers as the last write left it. */
    @Override
    public boolean deliverySeen(DeliveryId id) {
        return deliveries.contains(id);
    }

    @Override
    public synchronized boolean recordDelivery(DeliveryId id) {
        if (!deliveries.add(id)) {
            return false;
        }
        deliveryOrder.addLast(id);
        if (deliveryOrder.size() > DELIVERIES_KEPT) {
            deliveries.remove(deliveryOrder.pollFirst());
        }
        return true;
    }

    @Override
    public synchronized void forgetDelivery(DeliveryId id) {
        if (deliveries.remove(id)) {
            deliveryOrder.remove(id);
        }
    }

    /** The record and its delivery id under one monitor: the accept path's one write. */
    @Override
    public synchronized boolean insert(DeploymentRecord record, DeliveryId delivery) {
        boolean inserted = insert(record);
        recordDelivery(delivery);
        return inserted;
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
            posted.remove(oldest);
            Log dropped = logs.remove(oldest);
            if (dropped != null) {
                logBytes -= dropped.bytes();
            }
        }
        return true;
    }

    @Override
    public synchronized void update(DeploymentRecord record) {
        if (records.computeIfPresent(record.deployment().id(), (k, v) -> record) != null && record.startedAt().isPresent()) {
            String lane = lane(record.deployment().repository(), record.deployment().environment());
            newestStarted.merge(lane, record.deployment().id(), (a, b) -> a.value() >= b.value() ? a : b);
            if (record.lifecycle().history().stream().anyMatch(u -> u.state() == DeploymentState.SUCCESS)) {
                LinkedHashMap<DeploymentId, DeploymentRecord> kept = succeeded.computeIfAbsent(lane, k -> new LinkedHashMap<>());
                kept.put(record.deployment().id(), record);
                while (kept.size() > SUCCEEDED_KEPT) {
                    kept.remove(kept.keySet().iterator().next());
                }
            }
        }
    }

    @Override
    public synchronized Optional<DeploymentRecord> lastSucceeded(RepositoryName repository, EnvironmentName environment,
                                                              Optional<CommitSha> sha) {
        return succeeded.getOrDefault(lane(repository, environment), new LinkedHashMap<>()).values().stream()
                .filter(r -> sha.map(r.deployment().sha()::equals).orElse(true))
                .max(Comparator.comparingLong(r -> r.deployment().id().value()));
    }

    @Override
    public synchronized Optional<EnvironmentLock> lockOf(RepositoryName repository, EnvironmentName environment) {
        return Optional.ofNullable(envLocks.get(lane(repository, environment)));
    }

    @Override
    public synchronized List<EnvironmentLock> locks() {
        return List.copyOf(envLocks.values());
    }

    @Override
    public synchronized EnvironmentLock lock(EnvironmentLock wanted, boolean steal) {
        String lane = lane(wanted.repository(), wanted.environment());
        EnvironmentLock current = envLocks.get(lane);
        if (current != null && !steal && current.holdsAt(wanted.since())) {
            return current;
        }
        envLocks.put(lane, wanted);
        return wanted;
    }

    @Override
    public synchronized boolean unlock(EnvironmentLock expected) {
        String lane = lane(expected.repository(), expected.environment());
        EnvironmentLock current = envLocks.get(lane);
        if (current == null || !current.holder().equals(expected.holder()) || !current.since().equals(expected.since())) {
            return false;
        }
        envLocks.remove(lane);
        return true;
    }

    @Override
    public synchronized boolean insertGated(GatedRun run, DeliveryId delivery) {
        recordDelivery(delivery);
        if (gated.containsKey(run.key())) {
            return false;
        }
        gated.put(run.key(), run.atVersion(1));
        if (gated.size() > GATED_KEPT) {
            gated.values().stream().filter(g -> !g.waiting()).findFirst().ifPresent(g -> gated.remove(g.key()));
        }
        return true;
    }

    @Override
    public synchronized Optional<GatedRun> gated(String key) {
        return Optional.ofNullable(gated.get(key));
    }

    @Override
    public synchronized List<GatedRun> gatedRuns(int limit) {
        List<GatedRun> all = new ArrayList<>(gated.values());
        java.util.Collections.reverse(all);
        all.sort(java.util.Comparator.comparing((GatedRun g) -> !(g.waiting() || g.delivery() == GatedRun.Delivery.PENDING)));
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    @Override
    public synchronized Optional<GatedRun> replaceGated(GatedRun next) {
        GatedRun current = gated.get(next.key());
        if (current == null || current.version() != next.version()) {
            return Optional.empty();
        }
        GatedRun stored = next.atVersion(next.version() + 1);
        gated.put(next.key(), stored);
        return Optional.of(stored);
    }

    @Override
    public synchronized void markPosted(DeploymentId id, int count) {
        if (records.containsKey(id)) {
            posted.merge(id, count, Math::max);
        }
    }

    @Override
    public synchronized int postedCount(DeploymentId id) {
        return posted.getOrDefault(id, 0);
    }

    @Override
    public synchronized Optional<DeploymentId> newestStarted(RepositoryName repository, EnvironmentName environment) {
        return Optional.ofNullable(newestStarted.get(lane(repository, environment)));
    }

    /** None: only this process uses the store. */
    @Override
    public Optional<DeploymentId> runningElsewhere(RepositoryName repository, EnvironmentName environment) {
        return Optional.empty();
    }

    @Override
    public synchronized boolean claim(DeploymentId id) {
        DeploymentRecord r = records.get(id);
        return r != null && r.state() == io.github.autodeploy.core.model.DeploymentState.QUEUED && r.startedAt().isEmpty();
    }

    @Override
    public synchronized Optional<DeploymentId> olderQueued(RepositoryName repository, EnvironmentName environment,
                                                           DeploymentId than) {
        return records.values().stream()
                .filter(r -> r.deployment().repository().equals(repository) && r.deployment().environment().equals(environment))
                .filter(r -> r.state() == io.github.autodeploy.core.model.DeploymentState.QUEUED && r.startedAt().isEmpty())
                .map(r -> r.deployment().id()).filter(id -> id.value() < than.value())
                .min(Comparator.comparingLong(DeploymentId::value));
    }

    private static String lane(RepositoryName repository, EnvironmentName environment) {
        return repository.fullName() + " " + environment.value();
    }

    @Override
    public synchronized void park(WaitingMerge merge) {
        parked.put(merge.requestId(), merge);
    }

    @Override
    public synchronized void unpark(String requestId) {
        parked.remove(requestId);
    }

    @Override
    public synchronized List<WaitingMerge> waiting() {
        List<WaitingMerge> all = new ArrayList<>(parked.values());
        all.sort(Comparator.comparing(WaitingMerge::deadline));
        return List.copyOf(all);
    }

    /** Nothing to release: only this process uses the store, and it never loses a lease. */
    @Override
    public void release(DeploymentId id) {
    }

    /** Nothing to renew: only this process uses the store. */
    @Override
    public void renewLeases() {
    }

    /** Nothing to adopt: only this process ever used the store. */
    @Override
    public Orphans adoptOrphans() {
        return Orphans.none();
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
    public synchronized void appendLog(DeploymentId id, String line) {
        if (records.containsKey(id)) {
            append(logs.computeIfAbsent(id, k -> new Log(logLimitBytes)), line);
        }
    }

    /** As many {@link #appendLog(DeploymentId, String)} calls, under one lock. */
    @Override
    public synchronized void appendLog(DeploymentId id, List<String> lines) {
        if (records.containsKey(id) && !lines.isEmpty()) {
            Log log = logs.computeIfAbsent(id, k -> new Log(logLimitBytes));
            // Held across the batch, so that each line's append re-enters the log's monitor (no atomic operation a
            // line) rather than taking it anew: a long output appends millions of lines.
            synchronized (log) {
                for (String line : lines) {
                    append(log, line);
                }
            }
        }
    }

    /** Called holding this. */
    private void append(Log target, String line) {
        logBytes += target.append(line);
        if (logBytes > totalLogBytes) {
            // records iterate oldest first
            for (DeploymentId older : records.keySet()) {
                Log log = logs.get(older);
                if (log != null) {
                    logBytes -= log.free(logBytes - totalLogBytes);
                    if (logBytes <= totalLogBytes) {
                        break;
                    }
                }
            }
        }
    }

    @Override
    public LogChunk readLog(DeploymentId id, long fromLine) {
        Log log = logs.get(id);
        return log == null ? new LogChunk(0, List.of(), 0) : log.read(fromLine);
    }

    @Override
    public Lock laneLock(String lane) {
        // Fair, so robots sharing this store (in tests) take a lane in the order they asked for it.
        return laneLocks.computeIfAbsent(lane, k -> new ReentrantLock(true));
    }

    /** The tail of one log, bounded in bytes of heap. Thread-safe. */
    private static final class Log {
        private final long limit;
        private final Deque<String> lines = new ArrayDeque<>();
        /**
         * Each line's {@link #retainedBytes(String)}, the oldest at {@code head} (a ring, its length a power of two,
         * as long as {@code lines} at least): a line leaving the log is not read
         * again (by then it is cold in the cache, and a long output drops one line for each it adds).
         */
        private int[] sizes = new int[16];
        private int head;
        private long bytes;
        private long first;

        Log(long limit) {
            this.limit = limit;
        }

        /** Adds a line, dropping the oldest past the limit; returns how much the log grew (or shrank). */
        synchronized long append(String line) {
            long before = bytes;
            int size = (int) Math.min(Integer.MAX_VALUE, retainedBytes(line));
            if (lines.size() == sizes.length) {
                int[] grown = new int[sizes.length * 2];
                for (int i = 0; i < sizes.length; i++) {
                    grown[i] = sizes[(head + i) & (sizes.length - 1)];
                }
                sizes = grown;
                head = 0;
            }
            sizes[(head + lines.size()) & (sizes.length - 1)] = size;
            lines.addLast(line);
            bytes += size;
            while (bytes > limit && lines.size() > 1) {
                bytes -= removeFirst();
            }
            return bytes - before;
        }

        /** Drops the oldest line; returns its size. */
        private int removeFirst() {
            lines.removeFirst();
            int size = sizes[head];
            head = (head + 1) & (sizes.length - 1);
            first++;
            return size;
        }

        /** Drops the oldest lines until {@code wanted} bytes are freed or none is left; returns what was freed. */
        synchronized long free(long wanted) {
            long freed = 0;
            while (freed < wanted && !lines.isEmpty()) {
                freed += removeFirst();
            }
            bytes -= freed;
            return freed;
        }

        synchronized long bytes() {
            return bytes;
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
    }
}
