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
import io.github.autodeploy.core.store.LogLines;
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
     * Heap a line costs besides its characters, on a 64-bit JVM with compressed references, once read
     * out as a String (12-byte header, hash, coder, flag, array reference: 24), its byte array's header (16)
     * and a list's reference to it (4, and spare capacity, up to as much again: 8). Kept, a line takes less
     * (its characters, a {@code '\n'} and its end in its block's array): what a log counts bounds what
     * reading it whole takes too.
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
        return recordDelivery(delivery) && insert(record);
    }

    @Override
    public synchronized boolean insert(DeploymentRecord record) {
        DeploymentId id = record.deployment().id();
        if (records.containsKey(id) || knownPastHistory(record)) {
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

    /**
     * Whether a deployment no longer among the records is still known from what is kept past the history limit: its
     * lane's newest started deployment, or one of its lane's kept successes. Such a deployment ran; a new delivery of
     * it must not store it (and run it) again. Older ones of the lane are superseded by the engine.
     */
    private boolean knownPastHistory(DeploymentRecord record) {
        DeploymentId id = record.deployment().id();
        String lane = lane(record.deployment().repository(), record.deployment().environment());
        LinkedHashMap<DeploymentId, DeploymentRecord> kept = succeeded.get(lane);
        return id.equals(newestStarted.get(lane)) || kept != null && kept.containsKey(id);
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
            append(logs.computeIfAbsent(id, k -> new Log(logLimitBytes)), LogLines.of(line));
        }
    }

    /**
     * As many {@link #appendLog(DeploymentId, String)} calls, under one lock; lines given as {@link LogLines} (a
     * step's output) are kept as they are, one block, without a copy.
     */
    @Override
    public synchronized void appendLog(DeploymentId id, List<String> lines) {
        if (records.containsKey(id) && !lines.isEmpty()) {
            append(logs.computeIfAbsent(id, k -> new Log(logLimitBytes)), LogLines.copyOf(lines));
        }
    }

    /** Called holding this. */
    private void append(Log target, LogLines lines) {
        logBytes += target.append(lines);
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

    /** What line {@code index} of {@code lines} counts, as {@link #retainedBytes(String)} would count it cut out. */
    static long retainedBytes(LogLines lines, int index) {
        long chars = lines.length(index);
        if (!lines.latin1() && !LogLines.latin1(lines.text(), lines.start(index), lines.end(index))) {
            chars *= 2;
        }
        return LINE_OVERHEAD + ((chars + 7) & ~7L);
    }

    /**
     * The tail of one log, bounded in bytes of heap: blocks of lines as appended (a batch of output each), the
     * oldest block's first lines dropped one by one as newer ones come, the block itself once all its lines are.
     * Thread-safe.
     */
    private static final class Log {
        /**
         * A block's lines are counted {@link #LINE_OVERHEAD} bytes more than a block holds them in, so a log of
         * {@code n} lines leaves at least this much a line to spare for the dropped lines its oldest block still
         * holds; past it, that block's kept lines are copied out and the rest let go.
         */
        private static final int SPARE_PER_LINE = 32;
        /** Blocks shorter than this many characters are joined. */
        private static final int SMALL = 1024;
        private final long limit;
        private final Deque<LogLines> blocks = new ArrayDeque<>();
        /** Lines of the oldest block already dropped. */
        private int skip;
        /** What the oldest block's kept lines count. */
        private long headBytes;
        private long lines;
        private long bytes;
        private long first;

        Log(long limit) {
            this.limit = limit;
        }

        /** Adds a block of lines, dropping the oldest past the limit; returns how much the log grew (or shrank). */
        synchronized long append(LogLines block) {
            long before = bytes;
            long size = 0;
            for (int i = 0; i < block.size(); i++) {
                size += retainedBytes(block, i);
            }
            int added = block.size();
            LogLines last = blocks.peekLast();
            if (last != null && block.text().length() < SMALL && last.text().length() < SMALL) {
                // Lines written one or a few at a time share a block, which costs ~100 bytes of its own.
                blocks.removeLast();
                block = LogLines.concat(List.of(last, block));
            }
            if (blocks.isEmpty()) {
                headBytes += size;
            }
            blocks.addLast(block);
            lines += added;
            bytes += size;
            if (bytes > limit) {
                drop(bytes - limit, 1);
            }
            return bytes - before;
        }

        /**
         * Drops the oldest lines until {@code wanted} bytes are freed or only {@code keep} lines are left; returns
         * what was freed.
         */
        private long drop(long wanted, long keep) {
            long freed = 0;
            while (freed < wanted && lines > keep) {
                LogLines head = blocks.peekFirst();
                int left = head.size() - skip;
                if (headBytes <= wanted - freed && lines - left >= keep) {
                    freed += headBytes;
                    lines -= left;
                    first += left;
                    dropHead();
                } else {
                    long size = retainedBytes(head, skip);
                    skip++;
                    headBytes -= size;
                    freed += size;
                    lines--;
                    first++;
                    if (skip == head.size()) {
                        dropHead();
                    }
                }
            }
            bytes -= freed;
            LogLines head = blocks.peekFirst();
            if (head != null && skip > 0 && (long) head.start(skip) > SPARE_PER_LINE * lines) {
                blocks.removeFirst();
                blocks.addFirst(head.from(skip));
                skip = 0;
            }
            return freed;
        }

        /** Lets the oldest block go (its lines already counted out); the next one is the oldest. */
        private void dropHead() {
            blocks.removeFirst();
            skip = 0;
            headBytes = 0;
            LogLines next = blocks.peekFirst();
            if (next != null) {
                for (int i = 0; i < next.size(); i++) {
                    headBytes += retainedBytes(next, i);
                }
            }
        }

        /** Drops the oldest lines until {@code wanted} bytes are freed or none is left; returns what was freed. */
        synchronized long free(long wanted) {
            return drop(wanted, 0);
        }

        synchronized long bytes() {
            return bytes;
        }

        synchronized LogChunk read(long from) {
            long start = Math.max(from, first);
            long next = first + lines;
            if (start >= next) {
                return new LogChunk(next, List.of(), next);
            }
            List<String> out = new ArrayList<>((int) (next - start));
            long n = first;
            int offset = skip;
            for (LogLines block : blocks) {
                int count = block.size() - offset;
                if (n + count > start) {
                    for (int i = (int) Math.max(offset, offset + start - n); i < block.size(); i++) {
                        out.add(block.get(i));
                    }
                }
                n += count;
                offset = 0;
            }
            return new LogChunk(start, out, next);
        }
    }
}
