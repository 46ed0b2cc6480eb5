package io.github.autodeploy.spring;

import io.github.autodeploy.assembly.RobotAssembly;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the assembled robot with the context and closes it once, gracefully: {@link #starting()}
 * starts it before the web server listens (so recovery holds its lanes before the first webhook), and
 * {@link #draining()} closes it after the web server stops taking requests for it but before the web
 * server goes away (webhooks that still arrive are answered 503 by the robot, which is then draining,
 * and the pages stay up while its deployments finish within {@code engine.shutdown_grace}). A context
 * that fails after assembling closes it through {@link #close()}. Thread-safe.
 */
public final class RobotLifecycle implements AutoCloseable {
    /** Before Boot's web server starts ({@code Integer.MAX_VALUE - 2048}). */
    static final int START_PHASE = Integer.MAX_VALUE - 4096;
    /** After Boot's graceful-shutdown phase ({@code Integer.MAX_VALUE - 1024}) in starting, so before it in stopping. */
    static final int DRAIN_PHASE = Integer.MAX_VALUE - 512;

    private final RobotAssembly.Assembled assembled;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    RobotLifecycle(RobotAssembly.Assembled assembled) {
        this.assembled = assembled;
    }

    /** Whether the robot was started and is not closed yet. */
    public boolean isRunning() {
        return started.get() && !closed.get();
    }

    /** Closes the robot (draining its lanes), its Slack notifier and its store, the first time only. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            assembled.close();
        }
    }

    SmartLifecycle starting() {
        return new Phase(START_PHASE, () -> {
            if (!closed.get() && started.compareAndSet(false, true)) {
                assembled.robot().start();
            }
        }, () -> { });
    }

    SmartLifecycle draining() {
        return new Phase(DRAIN_PHASE, () -> { }, this::close);
    }

    /** One phase of the robot's life in the context's lifecycle. */
    private final class Phase implements SmartLifecycle {
        private final int phase;
        private final Runnable onStart;
        private final Runnable onStop;
        private volatile boolean running;

        Phase(int phase, Runnable onStart, Runnable onStop) {
            this.phase = phase;
            this.onStart = onStart;
            this.onStop = onStop;
        }

        @Override
        public void start() {
            onStart.run();
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            onStop.run();
        }

        @Override
        public int getPhase() {
            return phase;
        }

        @Override
        public boolean isRunning() {
            return running && !closed.get();
        }
    }
}
