package io.github.autodeploy.core.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder that remembers which steps are running, one file per step named by its session leader's
 * pid and holding that process's start time and the robot process that started it, so that a robot
 * killed with {@code kill -9} can, at its next start, end what its steps left running before any lane
 * starts again. Start times guard against a pid the system has since given to another program. Steps
 * of a robot that is still alive (another node started from the same folder) are left alone.
 * Thread-safe.
 */
final class StepLedger {
    private static final Logger LOG = LoggerFactory.getLogger(StepLedger.class);
    private final Path folder;
    private volatile boolean warned;
    /** This robot process, as recorded beside each of its steps: pid and start time. */
    private static final String SELF = ProcessHandle.current().pid() + " "
            + startOf(ProcessHandle.current()).map(Instant::toString).orElse("");

    StepLedger(Path folder) {
        this.folder = folder;
    }

    /** Notes that {@code leader} runs a step; a folder that cannot be written is logged once and skipped. */
    void started(ProcessHandle leader) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(Long.toString(leader.pid())),
                    startOf(leader).map(Instant::toString).orElse("") + "\n" + SELF, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("cannot record running steps in {} ({}); after a crash their processes may outlive the robot",
                        folder, e.toString());
            }
        }
    }

    void ended(long pid) {
        try {
            Files.deleteIfExists(folder.resolve(Long.toString(pid)));
        } catch (IOException e) {
            LOG.debug("could not forget step {} in {}: {}", pid, folder, e.toString());
        }
    }

    /**
     * Ends the processes of every step a previous run recorded and never saw end; returns how many
     * processes that was.
     */
    int stopLeftovers(Duration grace) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int stopped = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                stopped += stop(file, grace);
            }
        } catch (IOException e) {
            LOG.warn("could not read the running steps recorded in {}: {}", folder, e.toString());
        }
        return stopped;
    }

    private int stop(Path file, Duration grace) throws IOException {
        long pid;
        try {
            pid = Long.parseLong(file.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).strip().split("\n", 2);
        String recorded = lines[0].strip();
        if (lines.length > 1 && robotAlive(lines[1].strip())) {
            LOG.debug("step {} belongs to robot {}, which still runs; leaving it", pid, lines[1].strip());
            return 0;
        }
        Optional<ProcessHandle> leader = ProcessHandle.of(pid);
        int stopped = 0;
        if (leader.isPresent() && !startOf(leader.get()).map(Instant::toString).orElse("").equals(recorded)) {
            LOG.info("step process {} of an earlier run is gone; pid {} now belongs to another program", pid, pid);
        } else {
            stopped = leader.map(l -> StepSession.end(l, grace)).orElseGet(() -> StepSession.endSession(pid, grace));
            if (stopped > 0) {
                LOG.warn("stopped {} process(es) that a step of an earlier run (session {}) left running", stopped, pid);
            }
        }
        Files.deleteIfExists(file);
        return stopped;
    }

    /** Whether the robot process recorded as "pid start" runs (this one included). */
    private static boolean robotAlive(String robot) {
        String[] parts = robot.split(" ", 2);
        try {
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(parts[0]));
            String start = parts.length > 1 ? parts[1] : "";
            return h.filter(ProcessHandle::isAlive).filter(p -> startOf(p).map(Instant::toString).orElse("").equals(start)).isPresent();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Optional<Instant> startOf(ProcessHandle h) {
        return h.info().startInstant();
    }
}
