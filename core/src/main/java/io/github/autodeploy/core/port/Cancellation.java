package io.github.autodeploy.core.port;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A flag that asks running work to stop, with callbacks for whoever must act at once (a runner kills
 * its process). Thread-safe; cancelling twice is harmless.
 */
public final class Cancellation {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile String reason;

    /** Asks the work to stop, giving a reason for statuses and logs. */
    public void cancel(String why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
        }
        listeners.forEach(Runnable::run);
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** The reason given to {@link #cancel}, or an empty string while not cancelled. */
    public String reason() {
        String r = reason;
        return r == null ? "" : r;
    }

    /** Runs {@code listener} on cancellation, at once if already cancelled. */
    public void onCancel(Runnable listener) {
        listeners.add(listener);
        if (isCancelled()) {
            listener.run();
        }
    }
}
