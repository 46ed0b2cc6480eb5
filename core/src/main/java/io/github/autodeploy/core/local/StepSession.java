package io.github.autodeploy.core.local;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes of one step. Where the system has {@code setsid} and {@code /proc} (Linux), a step
 * starts as the leader of a session of its own, so whatever it starts stays findable even once
 * re-parented to init ({@code (daemon &)}, {@code nohup ... &}); elsewhere the step's descendants are
 * all that can be found. Ending a step signals all of them TERM, then KILL after a grace period.
 * Stateless and thread-safe.
 */
final class StepSession {
    private static final Logger LOG = LoggerFactory.getLogger(StepSession.class);
    private static final Path PROC = Path.of("/proc");
    private static final Optional<String> SETSID = findSetsid();

    private StepSession() {
    }

    /** True when steps run in sessions of their own, so that leftovers outside the process tree are found too. */
    static boolean isolated() {
        return SETSID.isPresent();
    }

    /** The command line that starts {@code argv} as the leader of a new session, where the system allows it. */
    static List<String> command(List<String> argv) {
        if (SETSID.isEmpty()) {
            return argv;
        }
        List<String> command = new ArrayList<>(argv.size() + 2);
        // --wait only matters if setsid had to fork (it does not: a JVM's child never leads a process group).
        command.add(SETSID.get());
        command.add("--wait");
        command.addAll(argv);
        return command;
    }

    /** The processes of the step led by {@code leader}: the leader, its descendants and the rest of its session. */
    static List<ProcessHandle> members(ProcessHandle leader) {
        Map<Long, ProcessHandle> found = new LinkedHashMap<>();
        if (leader.isAlive()) {
            found.put(leader.pid(), leader);
        }
        leader.descendants().forEach(h -> found.put(h.pid(), h));
        if (isolated()) {
            for (long pid : sessionMembers(leader.pid())) {
                ProcessHandle.of(pid).ifPresent(h -> found.putIfAbsent(pid, h));
            }
        }
        return List.copyOf(found.values());
    }

    /**
     * Ends every process of the step: TERM to all, KILL to whatever is still alive after {@code grace}
     * (looking again, for processes started meanwhile). Returns how many processes there were.
     */
    static int end(ProcessHandle leader, Duration grace) {
        return terminate(members(leader), grace, () -> members(leader));
    }

    /**
     * Ends what is left of session {@code sid} once its leader is gone (a crash of the robot left it):
     * TERM to every member, KILL after {@code grace}. Returns how many processes there were.
     */
    static int endSession(long sid, Duration grace) {
        Supplier<List<ProcessHandle>> session =
                () -> sessionMembers(sid).stream().flatMap(pid -> ProcessHandle.of(pid).stream()).toList();
        return terminate(session.get(), grace, session);
    }

    /** TERM to {@code members}, then KILL to them and to what {@code again} finds after the grace. */
    private static int terminate(List<ProcessHandle> members, Duration grace, Supplier<List<ProcessHandle>> again) {
        if (members.isEmpty()) {
            return 0;
        }
        members.forEach(ProcessHandle::destroy);
        try {
            CompletableFuture.allOf(members.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // still alive after the grace period: KILL below
        }
        List<ProcessHandle> left = new ArrayList<>(members);
        left.addAll(again.get());
        for (ProcessHandle h : left) {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        }
        return members.size();
    }

    /**
     * Pids whose session is {@code sid}, read from /proc; empty when /proc cannot be read. A step's end
     * waits for this scan before the lane's next deployment starts, so it reads each {@code stat} file
     * into one buffer and parses the bytes, without a path, string or split per process.
     */
    static List<Long> sessionMembers(long sid) {
        List<Long> pids = new ArrayList<>();
        String[] names = PROC.toFile().list();
        if (names == null) {
            LOG.debug("could not list the processes of session {}: /proc cannot be read", sid);
            return pids;
        }
        byte[] buffer = new byte[STAT_PREFIX];
        for (String name : names) {
            if (isNumber(name) && sessionOf(name, buffer) == sid) {
                pids.add(Long.parseLong(name));
            }
        }
        return pids;
    }

    /** Bytes of /proc/PID/stat read: the session is the 6th field, well within them whatever comm holds (16 bytes at most). */
    private static final int STAT_PREFIX = 256;

    /**
     * The session field of /proc/PID/stat: "pid (comm) state ppid pgrp session ...", where comm may hold
     * anything (a ')' too, so the fields are counted from the last one); -1 when the process is gone
     * meanwhile or not ours to read.
     */
    static long sessionOf(String pid, byte[] buffer) {
        int n;
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
            n = in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sessionField(buffer, n);
    }

    /** The session field of a stat line held in {@code line[0..length)}; -1 when it cannot be read. */
    static long sessionField(byte[] line, int length) {
        int i = length - 1;
        while (i >= 0 && line[i] != ')') {
            i--;
        }
        if (i < 0) {
            return -1;
        }
        // After ") ": state, ppid, pgrp, then session.
        int spaces = 0;
        for (i++; i < length && spaces < 4; i++) {
            if (line[i] == ' ') {
                spaces++;
            }
        }
        long value = 0;
        int digits = 0;
        for (; i < length && line[i] >= '0' && line[i] <= '9' && digits < 18; i++, digits++) {
            value = value * 10 + (line[i] - '0');
        }
        return spaces == 4 && digits > 0 ? value : -1;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> findSetsid() {
        if (!Files.isReadable(PROC.resolve("self/stat"))) {
            return Optional.empty();
        }
        List<String> dirs = new ArrayList<>(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "setsid"))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).map(Path::toString).findFirst();
    }
}
