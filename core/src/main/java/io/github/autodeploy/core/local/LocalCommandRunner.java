package io.github.autodeploy.core.local;

import io.github.autodeploy.core.model.HumanDuration;
import io.github.autodeploy.core.model.Secrets;
import io.github.autodeploy.core.plan.CommandStep;
import io.github.autodeploy.core.plan.StepFile;
import io.github.autodeploy.core.port.Cancellation;
import io.github.autodeploy.core.port.CommandRunner;
import io.github.autodeploy.core.port.OutputSink;
import io.github.autodeploy.core.model.StepResult;
import io.github.autodeploy.core.time.TimeSource;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs steps as local processes with {@link ProcessBuilder}: argv as given (no shell), the step's
 * folder and environment (inherited variables that hold a secret are removed), its files written
 * owner-only and deleted afterwards. Output is streamed line by line with secrets masked, in bounded
 * memory whatever its size. Each step runs in a session of its own where the system allows it
 * ({@link StepSession}); a timeout or cancellation ends all of it, daemonised grandchildren included:
 * TERM, then KILL after a grace period. When the step's process exits, what it left running in its
 * session is ended the same way. Thread-safe: each call runs its own process.
 */
public final class LocalCommandRunner implements CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCommandRunner.class);
    private static final Duration READER_DRAIN = Duration.ofSeconds(5);
    private final Secrets secrets;
    private final Duration killGrace;
    private final TimeSource time;
    private final Optional<StepLedger> ledger;

    private LocalCommandRunner(Secrets secrets, Duration killGrace, TimeSource time, Optional<StepLedger> ledger) {
        this.secrets = secrets;
        this.killGrace = killGrace;
        this.time = time;
        this.ledger = ledger;
    }

    /** A runner that masks {@code secrets} and gives a process 5 seconds between TERM and KILL. */
    public static LocalCommandRunner create(Secrets secrets) {
        return new LocalCommandRunner(secrets, Duration.ofSeconds(5), TimeSource.system(), Optional.empty());
    }

    /** A runner with another wait between TERM and KILL. */
    public static LocalCommandRunner create(Secrets secrets, Duration killGrace) {
        return new LocalCommandRunner(secrets, killGrace, TimeSource.system(), Optional.empty());
    }

    /** A runner that measures how long steps take on {@code time}. */
    public static LocalCommandRunner create(Secrets secrets, Duration killGrace, TimeSource time) {
        return new LocalCommandRunner(secrets, killGrace, time, Optional.empty());
    }

    /**
     * This runner, recording each running step in {@code folder} so that {@link #stopLeftovers} at the
     * next start ends what a crash of the robot left running. One robot per folder.
     */
    public LocalCommandRunner recordingStepsIn(Path folder) {
        return new LocalCommandRunner(secrets, killGrace, time, Optional.of(new StepLedger(folder)));
    }

    @Override
    public int stopLeftovers() {
        return ledger.map(l -> l.stopLeftovers(killGrace)).orElse(0);
    }

    @Override
    public StepResult run(CommandStep step, OutputSink sink, Cancellation cancellation) {
        long started = time.nanoTime();
        String program = step.argv().get(0);
        if (step.workingDirectory().isPresent() && !new File(step.workingDirectory().get()).isDirectory()) {
            return notStarted(started, "folder " + step.workingDirectory().get() + " does not exist; create it or fix folder in the config");
        }
        if (cancellation.isCancelled()) {
            return new StepResult(StepResult.Outcome.CANCELLED, -1, Duration.ZERO, "cancelled before it started: " + cancellation.reason());
        }
        List<Path> written = new ArrayList<>();
        try {
            writeFiles(step.files(), written);
            ProcessBuilder pb = new ProcessBuilder(StepSession.command(step.argv()));
            step.workingDirectory().ifPresent(dir -> pb.directory(new File(dir)));
            Map<String, String> env = pb.environment();
            env.values().removeIf(secrets::containsAny);
            env.putAll(step.environment());
            Optional<String> unstartable = StepSession.isolated() ? unstartable(program, env, pb.directory()) : Optional.empty();
            if (unstartable.isPresent()) {
                return notStarted(started, "could not start " + program + ": " + unstartable.get());
            }
            Process process;
            try {
                process = pb.start();
            } catch (IOException e) {
                return notStarted(started, "could not start " + program + ": " + reason(e));
            }
            ledger.ifPresent(l -> l.started(process.toHandle()));
            try {
                return supervise(process, step, sink, cancellation, started);
            } finally {
                ledger.ifPresent(l -> l.ended(process.pid()));
            }
        } catch (IOException e) {
            return notStarted(started, "could not write the step's files: " + reason(e));
        } finally {
            deleteFiles(written);
        }
    }

    private StepResult supervise(Process process, CommandStep step, OutputSink sink, Cancellation cancellation, long started) {
        closeQuietly(process);
        LineReader out = LineReader.startOnPipe(process.getInputStream(), OutputSink.Stream.STDOUT, sink, secrets, process.pid());
        LineReader err = LineReader.startOnPipe(process.getErrorStream(), OutputSink.Stream.STDERR, sink, secrets, process.pid());
        AtomicBoolean killed = new AtomicBoolean();
        cancellation.onCancel(() -> {
            if (process.isAlive() && killed.compareAndSet(false, true)) {
                StepSession.end(process.toHandle(), killGrace);
            }
        });
        boolean finished;
        try {
            finished = process.waitFor(step.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
            cancellation.cancel("the robot is shutting down");
        }
        boolean timedOut = !finished && !cancellation.isCancelled();
        if (!finished && killed.compareAndSet(false, true)) {
            StepSession.end(process.toHandle(), killGrace);
        }
        int exit = waitForExit(process);
        endLeftovers(process, killed);
        drain(out, err);
        Duration took = Duration.ofNanos(time.nanoTime() - started);
        if (timedOut) {
            return new StepResult(StepResult.Outcome.TIMED_OUT, -1, took, "timed out after " + HumanDuration.format(step.timeout()));
        }
        if (cancellation.isCancelled() && killed.get()) {
            return new StepResult(StepResult.Outcome.CANCELLED, -1, took, "cancelled: " + secrets.redact(cancellation.reason()));
        }
        return exit == 0
                ? new StepResult(StepResult.Outcome.SUCCEEDED, 0, took, "exit code 0")
                : new StepResult(StepResult.Outcome.FAILED, exit, took, "exit code " + exit);
    }

    /**
     * A step is over when its process exits: what it left running in its session (a daemonised
     * {@code (cmd &)}, a {@code nohup}) is ended too, as a CI runner does, so that nothing of one
     * deployment runs on beside the next. A service meant to outlive the step is started through
     * the service manager (systemctl, docker) instead.
     */
    private void endLeftovers(Process process, AtomicBoolean killed) {
        if (!StepSession.isolated() || !killed.compareAndSet(false, true)) {
            return;
        }
        // The leader has exited: its children were re-parented, so its session is where leftovers are
        // (one scan of /proc; looking for the descendants of a process that is gone would be another).
        int left = StepSession.endSession(process.pid(), killGrace);
        if (left > 0) {
            LOG.info("a step left {} background process(es) running; they were ended with it", left);
        }
    }

    /** Waits briefly for the rest of the output, then lets go of streams a process outside the step still holds. */
    private static void drain(LineReader... readers) {
        Duration wait = READER_DRAIN;
        for (LineReader r : readers) {
            if (!r.awaitEnd(wait)) {
                wait = Duration.ofMillis(1); // the same holder is likely to hold the other stream too
                r.detach();
                LOG.warn("output of a finished step is still held open by a process outside it; no longer following it");
            }
        }
    }

    private static int waitForExit(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                    process.destroyForcibly();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("could not close stdin of process {}", process.pid(), e);
        }
    }

    private static void writeFiles(List<StepFile> files, List<Path> written) throws IOException {
        for (StepFile f : files) {
            Path path = Path.of(f.path());
            Path dir = path.getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                OwnerOnly.restrict(dir, true);
            }
            Files.deleteIfExists(path);
            Files.createFile(path);
            OwnerOnly.restrict(path, false);
            Files.writeString(path, f.content(), StandardCharsets.UTF_8);
            written.add(path);
        }
    }

    private static void deleteFiles(List<Path> written) {
        for (Path p : written) {
            try {
                Files.deleteIfExists(p);
                Path dir = p.getParent();
                if (dir != null) {
                    try (var entries = Files.list(dir)) {
                        if (entries.findAny().isEmpty()) {
                            Files.deleteIfExists(dir);
                        }
                    }
                }
            } catch (IOException e) {
                LOG.warn("could not delete step file {}: {}", p, e.getMessage());
            }
        }
    }

    private StepResult notStarted(long started, String message) {
        return new StepResult(StepResult.Outcome.NOT_STARTED, -1, Duration.ofNanos(time.nanoTime() - started),
                secrets.redact(message));
    }

    /**
     * Why {@code program} cannot be started, found as the system would find it (by the step's PATH
     * unless it names a file): setsid starts it, so its own failure to start would look like a step
     * that ran and failed.
     */
    private static Optional<String> unstartable(String program, Map<String, String> env, File dir) {
        List<Path> candidates = new ArrayList<>();
        if (program.contains("/")) {
            candidates.add(dir == null ? Path.of(program) : dir.toPath().resolve(program));
        } else {
            String path = env.getOrDefault("PATH", "/bin:/usr/bin");
            for (String d : path.split(File.pathSeparator, -1)) {
                Path base = d.isEmpty() ? (dir == null ? Path.of("") : dir.toPath()) : Path.of(d);
                candidates.add(base.resolve(program));
            }
        }
        boolean exists = false;
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                if (Files.isExecutable(c)) {
                    return Optional.empty();
                }
                exists = true;
            }
        }
        return Optional.of(exists ? "error=13, Permission denied" : "error=2, No such file or directory");
    }

    private static String reason(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int paren = m.indexOf("error=");
        return paren >= 0 ? m.substring(paren) : m;
    }
}
