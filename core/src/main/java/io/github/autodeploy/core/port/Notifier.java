package io.github.autodeploy.core.port;

/**
 * Tells people about deployments (Slack, a file, e-mail). Must be thread-safe and must return
 * quickly: an implementation that talks to a slow service queues the notice and delivers it on its
 * own thread. Whatever it throws is logged by the engine and never changes a deployment's outcome.
 */
public interface Notifier {

    void notify(Notice notice);

    /** A notifier that tells nobody. */
    static Notifier none() {
        return notice -> { };
    }
}
